// highlight.js types only its root entry; its `lib/common` bundle (the common languages) has the same API.
declare module 'highlight.js/lib/common' {
  import hljs from 'highlight.js';
  export default hljs;
}
