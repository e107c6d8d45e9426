/** Colours for highlight.js token classes; each theme picks one and it is inlined like any other CSS. */
export interface CodePalette {
  readonly keyword: string;
  readonly string: string;
  readonly number: string;
  readonly comment: string;
  readonly title: string;
  readonly builtIn: string;
  readonly attr: string;
  readonly variable: string;
  readonly meta: string;
  readonly tag: string;
  readonly addition: string;
  readonly additionBg: string;
  readonly deletion: string;
  readonly deletionBg: string;
}

/** A light palette for code on a pale background. */
export const LIGHT_CODE: CodePalette = {
  keyword: '#cf222e',
  string: '#0a3069',
  number: '#0550ae',
  comment: '#6e7781',
  title: '#8250df',
  builtIn: '#953800',
  attr: '#0550ae',
  variable: '#953800',
  meta: '#6e7781',
  tag: '#116329',
  addition: '#116329',
  additionBg: '#dafbe1',
  deletion: '#82071e',
  deletionBg: '#ffebe9',
};

/** A dark palette for code on a near-black background. */
export const DARK_CODE: CodePalette = {
  keyword: '#ff7b72',
  string: '#a5d6ff',
  number: '#79c0ff',
  comment: '#8b949e',
  title: '#d2a8ff',
  builtIn: '#ffa657',
  attr: '#79c0ff',
  variable: '#ffa657',
  meta: '#8b949e',
  tag: '#7ee787',
  addition: '#aff5b4',
  additionBg: '#033a16',
  deletion: '#ffdcd7',
  deletionBg: '#67060c',
};

/** CSS for highlight.js's token classes (`hljs-*`) in the given palette. */
export function codePaletteCss(c: CodePalette): string {
  return `
.hljs-keyword, .hljs-doctag, .hljs-selector-tag, .hljs-template-tag { color: ${c.keyword}; }
.hljs-string, .hljs-regexp, .hljs-char, .hljs-selector-attr, .hljs-selector-pseudo { color: ${c.string}; }
.hljs-number, .hljs-literal, .hljs-symbol, .hljs-bullet, .hljs-link { color: ${c.number}; }
.hljs-comment, .hljs-quote { color: ${c.comment}; font-style: italic; }
.hljs-title, .hljs-section, .hljs-selector-id, .hljs-selector-class { color: ${c.title}; }
.hljs-built_in, .hljs-type, .hljs-class { color: ${c.builtIn}; }
.hljs-attr, .hljs-attribute, .hljs-property, .hljs-params { color: ${c.attr}; }
.hljs-variable, .hljs-template-variable, .hljs-subst { color: ${c.variable}; }
.hljs-meta, .hljs-meta-keyword { color: ${c.meta}; }
.hljs-tag, .hljs-name { color: ${c.tag}; }
.hljs-addition { color: ${c.addition}; background: ${c.additionBg}; }
.hljs-deletion { color: ${c.deletion}; background: ${c.deletionBg}; }
.hljs-emphasis { font-style: italic; }
.hljs-strong { font-weight: bold; }
`;
}
