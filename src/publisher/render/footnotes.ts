import footnote from 'markdown-it-footnote';
import type { MarkdownIt, PluginSimple, Token } from 'markdown-it';
import { escapeHtml } from './escape-html.js';
import { blockMeta } from './render-env.js';

/**
 * Footnotes (`[^1]`, `^[inline]`) rendered as a numbered list at the end, with no `href="#fn…"` anchors:
 * WeChat's editor flags any in-page link as a non-mp.weixin.qq.com link.
 */
export function footnotesWithoutAnchors(md: MarkdownIt, title: string): void {
  // its types describe markdown-it's CJS build; the plugin itself works with either
  md.use(footnote as unknown as PluginSimple);
  md.core.ruler.push('mpgate_footnote_numbers', (state) => {
    numberFootnotes(state.tokens);
  });
  const rules = md.renderer.rules;
  const number = (token: Token | undefined): number => Number((token?.meta as { id?: number } | null)?.id ?? 0) + 1;
  rules.footnote_ref = (tokens, idx) => `<sup class="footnote-ref">${number(tokens[idx])}</sup>`;
  rules.footnote_block_open = () => `<section class="footnotes"><p class="footnotes-title">${escapeHtml(title)}</p>\n`;
  rules.footnote_block_close = () => '</section>\n';
  rules.footnote_open = (tokens, idx) => {
    const token = tokens[idx];
    return `<section class="footnote-item">${token ? (blockMeta(token).markerHtml ?? '') : ''}`;
  };
  rules.footnote_close = () => '</section>\n';
  rules.footnote_anchor = () => '';
}

/** Puts each footnote's number at the start of its first paragraph, so it reads "1. text" on one line. */
function numberFootnotes(tokens: Token[]): void {
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (token.type !== 'footnote_open') continue;
    const id = Number((token.meta as { id?: number } | null)?.id ?? 0);
    const markerHtml = `<span class="footnote-num">${id + 1}.</span>`;
    const first = tokens[i + 1];
    if (first?.type === 'paragraph_open') blockMeta(first).markerHtml = markerHtml;
    else blockMeta(token).markerHtml = markerHtml;
  }
}
