import type { Token } from 'markdown-it';
import type { CodeTokenStyler } from './stylesheet.js';

/** An image the article shows, in document order (the publisher uploads these). */
export interface ArticleImage {
  /** The `src` as written in the Markdown (before `imageUrlMap`). */
  src: string;
  alt: string;
  /** Absolute file path when `src` is a local path and a `baseDir` was given. */
  localPath?: string;
  /** The URL put in the HTML: `imageUrlMap(src)` when it answered, otherwise `src`. */
  url: string;
}

/** Something the author may want to fix; rendering still succeeded. */
export interface RenderWarning {
  code:
    | 'math-error'
    | 'code-language-unknown'
    | 'image-not-mapped'
    | 'link-unsupported'
    | 'content-too-long'
    | 'content-too-large'
    | 'field-too-long'
    | 'html-removed';
  message: string;
}

/** Per-render state threaded through markdown-it's `env` (the parser instance itself is shared). */
export interface RenderEnv {
  images: ArticleImage[];
  warnings: RenderWarning[];
  /**
   * Finished HTML of code blocks and formulas, spliced in after CSS inlining: they are most of an article's
   * elements, need no theme CSS beyond their wrapper (code tokens are styled by `codeStyler`), and would
   * make juice walk thousands of spans and SVG paths per rule.
   */
  deferred: string[];
  /** Marks the placeholders of this render so raw HTML in the article cannot forge one. */
  nonce: string;
  codeStyler: CodeTokenStyler;
  /** Characters of text inside deferred code blocks (they count toward WeChat's text limit). */
  deferredTextChars: number;
  baseDir: string | undefined;
  imageUrlMap: ((src: string) => string | undefined) | undefined;
}

/** Renderer hints attached to block tokens by the core rules (lists, footnotes, figures). */
export interface BlockMeta {
  /** Nesting depth of the list a list token belongs to (0 = top level). */
  listDepth?: number;
  /** HTML of a visible marker to put at the start of this block (flattened list items, footnote numbers). */
  markerHtml?: string;
  /** Set on a paragraph that holds a single image: rendered as a figure with this caption ('' = none). */
  figureCaption?: string;
}

/** The renderer hints of a token, created on first use (markdown-it-footnote also keeps its ids in `meta`). */
export function blockMeta(token: Token): BlockMeta {
  token.meta ??= {};
  return token.meta as BlockMeta;
}

/** Stores finished HTML to be spliced in after CSS inlining and returns its placeholder comment. */
export function defer(env: RenderEnv, html: string): string {
  return `<!--${env.nonce}:${env.deferred.push(html) - 1}-->`;
}
