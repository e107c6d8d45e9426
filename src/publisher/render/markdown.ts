import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';
import { tex } from '@mdit/plugin-tex';
import { renderCodeBlock } from './code-block.js';
import { escapeHtml } from './escape-html.js';
import { footnotesWithoutAnchors } from './footnotes.js';
import { articleImages } from './images.js';
import { flattenNestedLists } from './lists.js';
import { texToSvg } from './math-svg.js';
import { blockMeta, defer, type RenderEnv } from './render-env.js';

const CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/;

/**
 * The markdown-it parser for articles, configured once and shared by every render (per-render state lives
 * in `env`). It emits class hooks for the theme CSS; classes are stripped after the CSS is inlined.
 */
export function createArticleMarkdown(labels: { footnotes: string }): MarkdownIt {
  const md = new MarkdownIt({ html: true, linkify: true, typographer: false });
  const rules = md.renderer.rules;

  rules.fence = (tokens, idx, _options, env: RenderEnv) => codeBlock(tokens[idx]?.content ?? '', tokens[idx]?.info ?? '', env);
  rules.code_block = (tokens, idx, _options, env: RenderEnv) => codeBlock(tokens[idx]?.content ?? '', '', env);
  rules.code_inline = (tokens, idx) => `<code class="code-inline">${escapeHtml(tokens[idx]?.content ?? '')}</code>`;
  rules.table_open = () => '<section class="table-wrap"><table>\n';
  rules.table_close = () => '</table></section>\n';
  rules.hardbreak = () => '<br>';
  rules.softbreak = (tokens, idx) => (CJK.test(lastChar(tokens[idx - 1])) && CJK.test(firstChar(tokens[idx + 1])) ? '' : ' ');
  rules.paragraph_open = (tokens, idx) => {
    const meta = blockMeta(tokens[idx] as Token);
    if (meta.figureCaption !== undefined) return '<section class="figure">';
    return tokens[idx]?.hidden ? (meta.markerHtml ?? '') : `<p>${meta.markerHtml ?? ''}`;
  };
  rules.paragraph_close = (tokens, idx) => {
    const token = tokens[idx] as Token;
    const caption = blockMeta(token).figureCaption;
    if (caption !== undefined) return `${caption ? `<p class="figcaption">${escapeHtml(caption)}</p>` : ''}</section>\n`;
    return token.hidden ? '' : '</p>\n';
  };

  // the tex plugin wraps the fence rule it finds, so it comes after ours (```math fences become display math)
  md.use(tex, { delimiters: 'dollars', mathFence: true, render: (content: string, display: boolean, env: unknown) => mathHtml(content, display, env as RenderEnv) });
  footnotesWithoutAnchors(md, labels.footnotes);
  flattenNestedLists(md);
  articleImages(md);
  return md;
}

function codeBlock(content: string, info: string, env: RenderEnv): string {
  const block = renderCodeBlock(content, info);
  if (block.unknownLanguage) {
    env.warnings.push({ code: 'code-language-unknown', message: `code block language "${block.unknownLanguage}" is not known to highlight.js; shown without highlighting` });
  }
  env.deferredTextChars += content.length;
  return `<pre class="code-block"><code>${defer(env, env.codeStyler(block.html))}</code></pre>\n`;
}

function mathHtml(texSource: string, display: boolean, env: RenderEnv): string {
  const result = texToSvg(texSource.trim(), display);
  if (!result.ok) {
    env.warnings.push({ code: 'math-error', message: `cannot typeset $${texSource.trim()}$: ${result.error}` });
    const code = `<code class="math-error">${escapeHtml(texSource.trim())}</code>`;
    return display ? `<section class="math-block">${code}</section>\n` : code;
  }
  const placeholder = defer(env, result.svg);
  return display ? `<section class="math-block">${placeholder}</section>\n` : placeholder;
}

function lastChar(token: Token | undefined): string {
  return token?.type === 'text' ? token.content.slice(-1) : '';
}

function firstChar(token: Token | undefined): string {
  return token?.type === 'text' ? token.content.charAt(0) : '';
}
