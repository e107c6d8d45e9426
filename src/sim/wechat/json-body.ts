import { refuse } from './api-errors.js';

/**
 * Rewrites `\uXXXX` escapes of non-ASCII characters inside JSON strings into literal text (`\\uXXXX`), because
 * WeChat stores such escapes as-is instead of decoding them (reference §6, §7.1): a client that escapes Chinese
 * sees `\u4f60\u597d` in its drafts and messages, as it would on the real platform.
 */
export function keepUnicodeEscapesLiteral(json: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (!inString) {
      if (c === '"') inString = true;
      out += c;
      continue;
    }
    if (c === '\\') {
      const next = json[i + 1];
      if (next === 'u') {
        const hex = json.slice(i + 2, i + 6);
        if (/^[0-9a-fA-F]{4}$/.test(hex) && parseInt(hex, 16) >= 0x80) {
          out += `\\\\u${hex}`;
          i += 5;
          continue;
        }
      }
      out += c + (next ?? '');
      i++;
      continue;
    }
    if (c === '"') inString = false;
    out += c;
  }
  return out;
}

/** Parses a business API's JSON body: 44002 when empty, 47001 when not a JSON object. */
export function parseJsonBody(raw: Buffer | string | undefined): Record<string, unknown> {
  const text = raw === undefined ? '' : Buffer.isBuffer(raw) ? raw.toString('utf8') : raw;
  if (text.trim() === '') refuse(44002);
  let value: unknown;
  try {
    value = JSON.parse(keepUnicodeEscapesLiteral(text));
  } catch {
    refuse(47001);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) refuse(47001);
  return value as Record<string, unknown>;
}
