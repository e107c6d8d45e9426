/**
 * A cookie jar for one Dify host. Keeps cookies by name **regardless of `Secure`, `Domain` and `Path`**:
 * Dify marks its console cookies `Secure` (and names them `__Host-…`) whenever its configured URLs are
 * https, even when reached over http, and a browser-like jar would then never send them back.
 */
export class CookieJar {
  readonly #cookies = new Map<string, { value: string; expiresAt: number | undefined }>();

  /** Absorbs every `Set-Cookie` header of an answer. */
  absorb(headers: Headers, now: number = Date.now()): void {
    for (const line of headers.getSetCookie()) this.set(line, now);
  }

  /** Applies one `Set-Cookie` value; `Max-Age=0` or a past `Expires` deletes the cookie. */
  set(setCookie: string, now: number = Date.now()): void {
    const [pair = '', ...attributes] = setCookie.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) return;
    const name = pair.slice(0, eq).trim();
    let value = pair.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    let expiresAt: number | undefined;
    let maxAgeSeen = false;
    for (const attribute of attributes) {
      const [rawKey = '', ...rest] = attribute.split('=');
      const key = rawKey.trim().toLowerCase();
      const attrValue = rest.join('=').trim();
      if (key === 'max-age' && /^-?\d+$/.test(attrValue)) {
        maxAgeSeen = true; // Max-Age wins over Expires (RFC 6265 §5.3)
        expiresAt = now + Number(attrValue) * 1000;
      } else if (key === 'expires' && !maxAgeSeen) {
        const at = Date.parse(attrValue);
        if (!Number.isNaN(at)) expiresAt = at;
      }
    }
    if (expiresAt !== undefined && expiresAt <= now) this.#cookies.delete(name);
    else this.#cookies.set(name, { value, expiresAt });
  }

  /** The value of a live cookie. */
  get(name: string, now: number = Date.now()): string | undefined {
    const cookie = this.#cookies.get(name);
    if (cookie === undefined) return undefined;
    if (cookie.expiresAt !== undefined && cookie.expiresAt <= now) {
      this.#cookies.delete(name);
      return undefined;
    }
    return cookie.value;
  }

  /** The first of `names` that holds a live cookie, with its value. */
  find(names: readonly string[], now: number = Date.now()): { name: string; value: string } | undefined {
    for (const name of names) {
      const value = this.get(name, now);
      if (value !== undefined) return { name, value };
    }
    return undefined;
  }

  /** The `Cookie:` request header, or undefined when the jar is empty. */
  header(now: number = Date.now()): string | undefined {
    const pairs: string[] = [];
    for (const name of [...this.#cookies.keys()]) {
      const value = this.get(name, now);
      if (value !== undefined) pairs.push(`${name}=${value}`);
    }
    return pairs.length === 0 ? undefined : pairs.join('; ');
  }

  /** Forgets every cookie. */
  clear(): void {
    this.#cookies.clear();
  }
}
