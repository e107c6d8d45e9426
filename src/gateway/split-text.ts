/**
 * Splits text into parts of at most `maxBytes` UTF-8 bytes (WeChat's text limit is 2048 bytes, for passive
 * replies and 客服 text alike). Lossless: `parts.join('') === text`. A cut never falls inside a character or
 * a grapheme cluster (emoji with modifiers stay whole), and prefers, in order: a paragraph end, a line end,
 * a sentence end, a clause break or a space — looked for in the last half of the part, so parts stay full.
 */
export function splitUtf8(text: string, maxBytes = 2048): string[] {
  if (maxBytes < 8) throw new RangeError(`splitUtf8: maxBytes must be at least 8, got ${maxBytes}`);
  if (utf8Length(text) <= maxBytes) return [text];
  const parts: string[] = [];
  let start = 0;
  while (start < text.length) {
    const limit = maxFittingEnd(text, start, maxBytes);
    if (limit >= text.length) {
      parts.push(text.slice(start));
      break;
    }
    const cut = preferredCut(text, start, limit);
    parts.push(text.slice(start, cut));
    start = cut;
  }
  return parts;
}

/** UTF-8 byte length of a string, without allocating a buffer. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3; // BMP, or a lone surrogate (encoded as U+FFFD, 3 bytes)
  }
  return bytes;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** The largest end index (at a code point boundary) such that text[start, end) fits in maxBytes. */
function maxFittingEnd(text: string, start: number, maxBytes: number): number {
  let bytes = 0;
  let i = start;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    let len: number;
    let units = 1;
    if (c < 0x80) len = 1;
    else if (c < 0x800) len = 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1))) {
      len = 4;
      units = 2;
    } else len = 3;
    if (bytes + len > maxBytes) break;
    bytes += len;
    i += units;
  }
  return i;
}

// Break classes, best first. Each regex matches the delimiter; the cut goes right after it.
const BREAKS: readonly RegExp[] = [
  /\n[ \t]*\n/g, // paragraph
  /\n/g, // line
  /[。！？!?…]+["”’」』）)]*|\.(?=\s)/g, // sentence end
  /[；;，,、：:]/g, // clause
  /\s+/g, // word
];

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function preferredCut(text: string, start: number, limit: number): number {
  const windowStart = start + Math.floor((limit - start) / 2);
  const window = text.slice(windowStart, limit);
  for (const re of BREAKS) {
    let best = -1;
    re.lastIndex = 0;
    for (let m = re.exec(window); m !== null; m = re.exec(window)) best = m.index + m[0].length;
    if (best > 0) return windowStart + best;
  }
  return graphemeCut(text, start, limit);
}

/** The last grapheme boundary at or before `limit` (falls back to `limit` for a single huge cluster). */
function graphemeCut(text: string, start: number, limit: number): number {
  // A grapheme cluster is short in practice; look at a small neighbourhood around the limit.
  const from = Math.max(start, limit - 64);
  let cut = from;
  for (const { index } of graphemes.segment(text.slice(from, Math.min(text.length, limit + 64)))) {
    const at = from + index;
    if (at > limit) break;
    cut = at;
  }
  return cut > start ? cut : limit;
}
