/** Cookie header parsing and Set-Cookie building, as Dify's console sets them (reference §15). */

/** Parses a `Cookie:` request header into name → value (the first occurrence of a name wins). */
export function parseCookieHeader(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const piece of header.split(';')) {
    const eq = piece.indexOf('=');
    if (eq < 0) continue;
    const name = piece.slice(0, eq).trim();
    let value = piece.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (name && !out.has(name)) out.set(name, value);
  }
  return out;
}

/** Attributes of one Set-Cookie. */
export interface CookieAttributes {
  maxAgeSeconds: number;
  httpOnly: boolean;
  secure: boolean;
  domain?: string;
}

/** One `Set-Cookie` value with Dify's fixed `Path=/` and `SameSite=Lax`. */
export function serializeSetCookie(name: string, value: string, attrs: CookieAttributes): string {
  const parts = [`${name}=${value}`];
  if (attrs.domain) parts.push(`Domain=${attrs.domain}`);
  if (attrs.maxAgeSeconds <= 0) parts.push('Expires=Thu, 01 Jan 1970 00:00:00 GMT');
  parts.push(`Max-Age=${attrs.maxAgeSeconds}`);
  if (attrs.secure) parts.push('Secure');
  if (attrs.httpOnly) parts.push('HttpOnly');
  parts.push('Path=/', 'SameSite=Lax');
  return parts.join('; ');
}
