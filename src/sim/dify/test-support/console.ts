/** A tiny cookie-jar console session for tests (plain fetch; the real console client is written elsewhere). */
export class ConsoleSessionForTest {
  cookies = new Map<string, string>();
  bearer: string | undefined;

  constructor(readonly base: string) {}

  /** Stores every Set-Cookie of a response (regardless of Secure, as a non-browser client must). */
  absorb(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (!pair || eq < 0) continue;
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (/Max-Age=0/.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** The CSRF cookie value under whichever name it has. */
  csrf(): string | undefined {
    return this.cookies.get('csrf_token') ?? this.cookies.get('__Host-csrf_token');
  }

  async login(email: string, password: string): Promise<Response> {
    const res = await fetch(`${this.base}/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password, remember_me: true }),
    });
    this.absorb(res);
    return res;
  }

  /** A request with the session's cookies, CSRF header and bearer as configured. */
  async call(path: string, init: RequestInit & { csrf?: boolean } = {}): Promise<Response> {
    const headers: Record<string, string> = { ...(init.headers as Record<string, string> | undefined) };
    if (this.cookies.size > 0) headers.Cookie = this.cookieHeader();
    const csrf = this.csrf();
    if (init.csrf !== false && csrf) headers['X-CSRF-Token'] = csrf;
    if (this.bearer) headers.Authorization = `Bearer ${this.bearer}`;
    const res = await fetch(`${this.base}${path}`, { ...init, headers });
    this.absorb(res);
    return res;
  }
}

/** Base64 of the UTF-8 password, as the ≥ 1.11.2 web client sends it. */
export function base64Password(password: string): string {
  return Buffer.from(password, 'utf8').toString('base64');
}
