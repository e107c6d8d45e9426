/**
 * The text inside article HTML: how many characters WeChat's content limit counts, and the plain text an image
 * post (newspic, 贴图) takes instead of HTML. Pure.
 */

const NAMED_ENTITIES: Record<string, string> = { nbsp: '\u00a0', lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes numeric entities and the named ones article HTML uses (`&nbsp;`, `&lt;` …); others stay as written. */
export function decodeHtmlEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity: string, name: string) => {
    const code = /^#x/i.test(name) ? Number.parseInt(name.slice(2), 16) : name.startsWith('#') ? Number(name.slice(1)) : undefined;
    if (code !== undefined) return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    return NAMED_ENTITIES[name.toLowerCase()] ?? entity;
  });
}

/** Characters as WeChat counts 字: code points, so an emoji or a CJK character is one. */
export function characterCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * The characters of text an article's HTML shows, whitespace left out: what the 20,000-character content limit
 * counts (markup and inline styles fall under the 1 MB limit instead). Formula SVGs hold no text.
 */
export function visibleTextLength(html: string): number {
  const text = decodeHtmlEntities(html.replace(/<svg\b[\s\S]*?<\/svg\s*>/gi, '').replace(/<[^>]*>/g, ''));
  return characterCount(text.replace(/\s+/g, ''));
}

/** Plain text of rendered article HTML: each block ends a line, at most one blank line in a row. */
export function plainTextOfHtml(html: string): string {
  const text = decodeHtmlEntities(
    html
      .replace(/<svg\b[\s\S]*?<\/svg\s*>/gi, '')
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<\/(?:p|h[1-6]|li|blockquote|section|figure|figcaption|pre|tr|div|table)\s*>/gi, '\n')
      .replace(/<[^>]*>/g, ''),
  );
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
