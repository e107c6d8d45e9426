import type { MarkdownIt, Token } from 'markdown-it';
import { blockMeta } from './render-env.js';

const BULLETS = ['◦', '▪', '▫'];

/**
 * Flattens nested lists the way WeChat shows them: WeChat adds extra bullets to nested `ul/ol`, so only a
 * top-level list stays a `ul/ol`; a list inside it becomes an indented `section` whose items carry their
 * marker (`◦`, `1.`) as text.
 */
export function flattenNestedLists(md: MarkdownIt): void {
  md.core.ruler.push('mpgate_list_markers', (state) => {
    annotateLists(state.tokens);
  });
  const rules = md.renderer.rules;
  const depth = (t: Token | undefined): number => (t ? (blockMeta(t).listDepth ?? 0) : 0);
  rules.bullet_list_open = (tokens, idx) => (depth(tokens[idx]) === 0 ? '<ul>\n' : '<section class="list-nested">\n');
  rules.bullet_list_close = (tokens, idx) => (depth(tokens[idx]) === 0 ? '</ul>\n' : '</section>\n');
  rules.ordered_list_open = (tokens, idx) => {
    const token = tokens[idx];
    if (depth(token) > 0) return '<section class="list-nested">\n';
    const start = Number(token?.attrGet('start') ?? 1);
    return start === 1 ? '<ol>\n' : `<ol start="${start}">\n`;
  };
  rules.ordered_list_close = (tokens, idx) => (depth(tokens[idx]) === 0 ? '</ol>\n' : '</section>\n');
  rules.list_item_open = (tokens, idx) => {
    const token = tokens[idx];
    if (depth(token) === 0) return '<li><section class="li-body">';
    return `<section class="list-item">${token ? (blockMeta(token).markerHtml ?? '') : ''}`;
  };
  rules.list_item_close = (tokens, idx) => (depth(tokens[idx]) === 0 ? '</section></li>\n' : '</section>\n');
}

/** Records each list token's depth and gives nested items a text marker (on their first paragraph when they have one). */
function annotateLists(tokens: Token[]): void {
  const stack: { ordered: boolean; next: number }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    switch (token.type) {
      case 'bullet_list_open':
      case 'ordered_list_open':
        blockMeta(token).listDepth = stack.length;
        stack.push({ ordered: token.type === 'ordered_list_open', next: Number(token.attrGet('start') ?? 1) });
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        stack.pop();
        blockMeta(token).listDepth = stack.length;
        break;
      case 'list_item_open':
      case 'list_item_close': {
        const list = stack[stack.length - 1];
        const level = stack.length - 1;
        blockMeta(token).listDepth = Math.max(0, level);
        if (!list || token.type === 'list_item_close') break;
        const number = list.next++;
        if (level === 0) break;
        const text = list.ordered ? `${number}${token.markup || '.'}` : (BULLETS[Math.min(level - 1, BULLETS.length - 1)] as string);
        const markerHtml = `<span class="list-marker">${text}</span>`;
        const first = tokens[i + 1];
        if (first?.type === 'paragraph_open') blockMeta(first).markerHtml = markerHtml;
        else blockMeta(token).markerHtml = markerHtml;
        break;
      }
    }
  }
}
