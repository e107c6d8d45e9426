import hljs from 'highlight.js/lib/common';
import { escapeHtml } from './escape-html.js';

/** The content of a fenced or indented code block, highlighted and laid out the way WeChat's draft API keeps it. */
export interface CodeBlockHtml {
  /** The inside of `<code>`: highlight.js spans (with their classes), `<br>` line breaks and `&nbsp;` spaces. */
  html: string;
  /** The highlight.js language used, or undefined when the block was left plain. */
  language: string | undefined;
  /** The requested language when highlight.js does not know it. */
  unknownLanguage: string | undefined;
}

const TAB = '&nbsp;&nbsp;&nbsp;&nbsp;';
const cache = new Map<string, CodeBlockHtml>();
const CACHE_LIMIT = 1000;

/**
 * Highlights `code` (without auto-detection, which is slow and often wrong) and makes it WeChat-safe.
 * Highlighting is most of a render's time, so results are cached: previews and republishing re-render
 * mostly unchanged blocks.
 */
export function renderCodeBlock(code: string, info: string): CodeBlockHtml {
  const key = `${info}\u0000${code}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const block = highlightBlock(code, info);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, block);
  return block;
}

/** Forgets every highlighted block (for benchmarks that measure highlighting). */
export function clearHighlightCache(): void {
  cache.clear();
}

function highlightBlock(code: string, info: string): CodeBlockHtml {
  const requested = info.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  const text = code.replace(/\r\n?/g, '\n').replace(/\n$/, '');
  const known = requested !== '' && hljs.getLanguage(requested) !== undefined;
  const inner = known ? hljs.highlight(text, { language: requested, ignoreIllegals: true }).value : escapeHtml(text);
  return {
    html: preserveCodeWhitespace(inner),
    language: known ? requested : undefined,
    unknownLanguage: requested !== '' && !known && requested !== 'text' && requested !== 'plain' ? requested : undefined,
  };
}

/**
 * Turns the text between tags into what survives the draft API: newlines become `<br>` (the API eats `\n`
 * inside `<code>`) and every space or tab becomes `&nbsp;` (the MP editor collapses runs of spaces).
 * Tags themselves (highlight.js's `<span class="…">`) are left alone.
 */
export function preserveCodeWhitespace(html: string): string {
  let out = '';
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    const end = lt === -1 ? html.length : lt;
    if (end > i) out += convertText(html.slice(i, end));
    if (lt === -1) break;
    const gt = html.indexOf('>', lt);
    const tagEnd = gt === -1 ? html.length : gt + 1;
    out += html.slice(lt, tagEnd);
    i = tagEnd;
  }
  return out;
}

function convertText(text: string): string {
  return text.replace(/[ \t\n]/g, (c) => (c === ' ' ? '&nbsp;' : c === '\t' ? TAB : '<br>'));
}
