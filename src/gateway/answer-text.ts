import MarkdownIt from 'markdown-it';

/** An image or link target found while flattening Markdown, for the rich-answer step. */
export interface AnswerImage {
  url: string;
  alt: string;
}

export interface ShapedAnswer {
  /** Plain text for a WeChat text message. */
  text: string;
  /** Images referenced by the Markdown, in order (their alt text and URL stay in `text` too). */
  images: AnswerImage[];
}

// One parser for the process: creating markdown-it is far more costly than a parse.
const markdown = new MarkdownIt({ html: true, linkify: false, breaks: false });
type Token = ReturnType<typeof markdown.parse>[number];

const THINK_BLOCK = /<think(?:\s[^>]*)?>[\s\S]*?(?:<\/think>|$)/gi;
const DETAILS_THINK = /<details[^>]*>\s*<summary>\s*Thinking[\s\S]*?<\/details>/gi;

/** Removes reasoning blocks (`<think>…</think>`, also an unclosed one at the end) that some models emit. */
export function stripThinking(answer: string): string {
  return answer.replace(THINK_BLOCK, '').replace(DETAILS_THINK, '');
}

/**
 * Turns a Markdown answer into text a WeChat chat shows well: headings and paragraphs as lines, list markers
 * kept (nested lists indented), emphasis markers dropped, links as "text (url)", code kept verbatim, tables as
 * rows of cells separated by " | ", raw HTML tags dropped.
 */
export function markdownToText(source: string): ShapedAnswer {
  if (isPlainText(source)) return { text: source.replace(/\n{3,}/g, '\n\n').trim(), images: [] };
  return parseMarkdownToText(source);
}

/** `markdownToText` always through the parser (exported for the test that checks the plain-text shortcut). */
export function parseMarkdownToText(source: string): ShapedAnswer {
  const images: AnswerImage[] = [];
  // Blocks of one list or one table (a "group") join with a newline; everything else is a paragraph.
  const out: Block[] = [];
  let group = 0;
  const lists: Array<{ ordered: boolean; next: number }> = [];
  let quoteDepth = 0;
  let tableRow: string[] | null = null;
  let cell = '';
  let inCell = false;
  let openItem = false;

  const lineStart = (): string => '> '.repeat(quoteDepth);
  const block = (text: string, grouped = false): void => {
    const prefix = lineStart();
    out.push({ text: prefix + text.replace(/\n/g, `\n${prefix}`), group: grouped ? group : -1 });
  };

  for (const token of markdown.parse(source, {})) {
    switch (token.type) {
      case 'heading_open':
      case 'paragraph_open':
      case 'heading_close':
      case 'paragraph_close':
      case 'thead_open':
      case 'thead_close':
      case 'tbody_open':
      case 'tbody_close':
      case 'table_close':
        break;
      case 'table_open':
        group++;
        break;
      case 'blockquote_open':
        quoteDepth++;
        break;
      case 'blockquote_close':
        quoteDepth--;
        break;
      case 'bullet_list_open':
      case 'ordered_list_open':
        if (lists.length === 0) group++;
        lists.push({ ordered: token.type === 'ordered_list_open', next: Number(token.attrGet('start') ?? 1) });
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        lists.pop();
        break;
      case 'list_item_open': {
        const list = lists.at(-1);
        const marker = list?.ordered ? `${list.next++}. ` : '• ';
        out.push({ text: `${lineStart()}${'  '.repeat(Math.max(0, lists.length - 1))}${marker}`, group });
        openItem = true;
        break;
      }
      case 'list_item_close':
        break;
      case 'tr_open':
        tableRow = [];
        break;
      case 'tr_close':
        if (tableRow) block(tableRow.join(' | '), true);
        tableRow = null;
        break;
      case 'th_open':
      case 'td_open':
        inCell = true;
        cell = '';
        break;
      case 'th_close':
      case 'td_close':
        inCell = false;
        tableRow?.push(cell.trim());
        break;
      case 'fence':
      case 'code_block':
        block(token.content.replace(/\n$/, ''));
        break;
      case 'hr':
        block('——————');
        break;
      case 'html_block': {
        const text = stripTags(token.content).trim();
        if (text) block(text);
        break;
      }
      case 'inline': {
        const text = inlineText(token.children ?? [], images);
        if (inCell) {
          cell += text;
          break;
        }
        // A list item's first paragraph continues the marker line pushed at list_item_open.
        const last = out.at(-1);
        if (openItem && last) last.text += text.replace(/\n/g, `\n${lineStart()}${'  '.repeat(lists.length)}`);
        else block(text, lists.length > 0);
        openItem = false;
        break;
      }
      default:
        break;
    }
  }
  return { text: joinBlocks(out), images };
}

function inlineText(children: Token[], images: AnswerImage[]): string {
  let text = '';
  let linkHref: string | null = null;
  let linkText = '';
  for (const t of children) {
    let piece = '';
    switch (t.type) {
      case 'text':
      case 'code_inline':
        piece = t.content;
        break;
      case 'softbreak':
      case 'hardbreak':
        piece = '\n';
        break;
      case 'image': {
        const url = String(t.attrGet('src') ?? '');
        const alt = t.content || '图片';
        images.push({ url, alt });
        piece = `[${alt}] ${url}`;
        break;
      }
      case 'link_open':
        linkHref = String(t.attrGet('href') ?? '');
        linkText = '';
        continue;
      case 'link_close': {
        const href = linkHref ?? '';
        const label = linkText.trim();
        piece = !href || label === href || href.startsWith('#') ? label : label ? `${label} (${href})` : href;
        linkHref = null;
        text += piece;
        continue;
      }
      case 'html_inline':
        piece = /^<br\s*\/?>$/i.test(t.content) ? '\n' : '';
        break;
      default:
        piece = t.content ?? '';
    }
    if (linkHref !== null) linkText += piece;
    else text += piece;
  }
  return text;
}

// Any ASCII punctuation a Markdown rule could react to, tabs, CR, NUL, and whitespace (other than the line
// break itself) at either end of a line.
const MARKDOWN_SIGNIFICANT = /[\\`*_[\]()#+\-.!|<>&~=:$@^{}%\t\r\0]|^[^\S\n]|[^\S\n]$/m;

/**
 * True for text no Markdown rule changes (most short chat answers in Chinese): markdown-it would only split it
 * into paragraphs at blank lines, which is what the text already is, so the parser can be skipped.
 */
export function isPlainText(source: string): boolean {
  return !MARKDOWN_SIGNIFICANT.test(source);
}

function stripTags(html: string): string {
  return html.replace(/<[^>]+>/g, '');
}

interface Block {
  text: string;
  /** Blocks with the same non-negative group (one list, one table) are joined by a single newline. */
  group: number;
}

/** Paragraphs are separated by a blank line; the blocks of one list or table by a newline. */
function joinBlocks(blocks: Block[]): string {
  let text = '';
  let prevGroup = -1;
  for (const { text: b, group } of blocks) {
    if (text) text += group >= 0 && group === prevGroup ? '\n' : '\n\n';
    text += b;
    prevGroup = group;
  }
  return text.replace(/\n{3,}/g, '\n\n').trim();
}

/** The whole shaping step for a Dify answer: drop reasoning blocks, then Markdown to text. */
export function shapeAnswer(answer: string): ShapedAnswer {
  return markdownToText(stripThinking(answer));
}
