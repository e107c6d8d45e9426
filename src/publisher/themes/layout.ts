import type { Palette } from './theme.js';

/** System fonts that cover Chinese on iOS, Android, macOS and Windows (WeChat ships no web fonts). */
export const SANS_STACK =
  '-apple-system, BlinkMacSystemFont, "Helvetica Neue", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei UI", "Microsoft YaHei", Arial, sans-serif';
export const SERIF_STACK = 'Georgia, "Songti SC", "Noto Serif SC", "Source Han Serif SC", STSong, serif';
export const MONO_STACK = 'Menlo, Monaco, Consolas, "Courier New", monospace';

/**
 * The layout every theme shares: body text, lists, code, tables, images, math, footnotes and references.
 * Themes add their own headings and accents after it. Sizes are in px because WeChat's editor rewrites `rem`.
 */
export function layoutCss(p: Palette): string {
  const body = `font-size: ${p.fontSize}px; line-height: ${p.lineHeight}; color: ${p.text}; letter-spacing: ${p.letterSpacing};`;
  const small = Math.max(12, p.fontSize - 2);
  return `
.article { font-family: ${p.fontFamily}; ${body} word-break: break-word; overflow-wrap: break-word; text-align: left; }
p { margin: 0 0 1.2em; ${body} text-align: ${p.textAlign}; }
strong { font-weight: bold; }
em { font-style: italic; }
del { color: ${p.muted}; }
a { color: ${p.accent}; text-decoration: none; border-bottom: 1px solid ${p.accent}; }
.link { color: ${p.accent}; }
.link-ref { font-size: 12px; line-height: 0; color: ${p.accent}; margin-left: 1px; }
ul, ol { margin: 0 0 1.2em; padding-left: 1.6em; ${body} }
ul { list-style-type: disc; }
ol { list-style-type: decimal; }
li { margin: 0.25em 0; ${body} }
.li-body { ${body} }
.li-body p { margin: 0.25em 0; }
.list-nested { margin: 0.2em 0 0.2em 0.2em; padding-left: 1em; }
.list-item { margin: 0.2em 0; ${body} }
.list-item p { margin: 0.2em 0; }
.list-marker { display: inline-block; min-width: 1.1em; margin-right: 0.3em; color: ${p.accent}; }
blockquote { margin: 0 0 1.2em; padding: 0.8em 1em; border-left: 4px solid ${p.accent}; background: ${p.quoteBg}; color: ${p.quoteText}; border-radius: 0 4px 4px 0; }
blockquote p { margin: 0.3em 0; font-size: ${small + 1}px; color: ${p.quoteText}; }
hr { height: 0; margin: 2em 0; border: none; border-top: 1px solid ${p.border}; }
img { display: block; max-width: 100%; height: auto; margin: 0.6em auto; border-radius: 4px; }
.figure { margin: 1.4em 0; text-align: center; }
.figcaption { margin: 0.4em 0 0; font-size: ${small - 1}px; line-height: 1.5; color: ${p.muted}; text-align: center; letter-spacing: 0; }
.code-inline { font-family: ${p.monoFamily}; font-size: 0.9em; padding: 2px 5px; margin: 0 2px; border-radius: 4px; background: ${p.inlineCodeBg}; color: ${p.inlineCodeText}; letter-spacing: 0; }
.code-block { margin: 0 0 1.2em; padding: 12px 14px; border-radius: 6px; background: ${p.codeBg}; overflow-x: auto; text-align: left; }
.code-block code { display: block; font-family: ${p.monoFamily}; font-size: 13px; line-height: 1.65; color: ${p.codeText}; background: none; white-space: nowrap; letter-spacing: 0; }
.table-wrap { margin: 0 0 1.2em; overflow-x: auto; }
table { width: 100%; border-collapse: collapse; font-size: ${small}px; line-height: 1.6; color: ${p.text}; }
th { padding: 6px 10px; border: 1px solid ${p.border}; background: ${p.accentSoft}; font-weight: bold; text-align: left; }
td { padding: 6px 10px; border: 1px solid ${p.border}; }
.math-block { margin: 0 0 1.2em; text-align: center; overflow-x: auto; overflow-y: hidden; }
.math-error { font-family: ${p.monoFamily}; font-size: 0.9em; color: #c0392b; }
.footnote-ref { font-size: 12px; line-height: 0; color: ${p.accent}; }
.footnotes { margin: 2em 0 0; padding-top: 0.8em; border-top: 1px dashed ${p.border}; }
.footnotes-title { margin: 0 0 0.5em; font-size: ${small + 1}px; font-weight: bold; color: ${p.text}; }
.footnote-item { margin: 0.2em 0; font-size: ${small}px; line-height: 1.6; color: ${p.muted}; }
.footnote-item p { margin: 0.2em 0; font-size: ${small}px; line-height: 1.6; color: ${p.muted}; text-align: left; }
.footnote-num { color: ${p.accent}; margin-right: 0.3em; }
.references { margin: 2em 0 0; padding-top: 0.8em; border-top: 1px dashed ${p.border}; }
.references-title { margin: 0 0 0.5em; font-size: ${small + 1}px; font-weight: bold; color: ${p.text}; }
.reference-item { margin: 0.2em 0; font-size: ${small - 1}px; line-height: 1.6; color: ${p.muted}; text-align: left; word-break: break-all; }
.reference-num { color: ${p.accent}; margin-right: 0.3em; }
.reference-url { color: ${p.muted}; }
`;
}
