import type { WechatSimulator } from '../simulator.js';
import type { WechatSimAccount } from '../types.js';

/** A decoded WeChat JSON answer. */
export type Answer = Record<string, unknown> & { errcode?: number; errmsg?: string };

/** A bare HTTP client for the simulator's API, so tests see exactly what goes over the wire. */
export class ApiClient {
  constructor(
    readonly sim: WechatSimulator,
    readonly account: WechatSimAccount = sim.account,
  ) {}

  /** `/cgi-bin/token` for the account. */
  async token(): Promise<string> {
    const a = await this.get('/cgi-bin/token', { grant_type: 'client_credential', appid: this.account.appId, secret: this.account.appSecret });
    if (typeof a.access_token !== 'string') throw new Error(`token failed: ${JSON.stringify(a)}`);
    return a.access_token;
  }

  /** `/cgi-bin/stable_token` for the account. */
  async stableToken(forceRefresh = false): Promise<Answer> {
    return this.post('/cgi-bin/stable_token', undefined, { grant_type: 'client_credential', appid: this.account.appId, secret: this.account.appSecret, force_refresh: forceRefresh });
  }

  async get(path: string, query: Record<string, string> = {}): Promise<Answer> {
    const res = await fetch(`${this.sim.apiBase}${path}?${new URLSearchParams(query).toString()}`);
    return (await res.json()) as Answer;
  }

  /** POSTs JSON (`body` as an object, or a raw string) with `?access_token=` when `token` is given. */
  async post(path: string, token: string | undefined, body: unknown, query: Record<string, string> = {}): Promise<Answer> {
    const q = new URLSearchParams({ ...(token !== undefined ? { access_token: token } : {}), ...query });
    const res = await fetch(`${this.sim.apiBase}${path}?${q.toString()}`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });
    return (await res.json()) as Answer;
  }

  /** A multipart upload with the file in field `media` (and optional text fields). */
  async upload(path: string, token: string, query: Record<string, string>, file: { filename: string; bytes: Buffer }, fields: Record<string, string> = {}): Promise<Answer> {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('media', new Blob([new Uint8Array(file.bytes)]), file.filename);
    const q = new URLSearchParams({ access_token: token, ...query });
    const res = await fetch(`${this.sim.apiBase}${path}?${q.toString()}`, { method: 'POST', body: form });
    return (await res.json()) as Answer;
  }

  /** A raw GET (for endpoints that answer bytes). */
  raw(path: string, query: Record<string, string>): Promise<Response> {
    return fetch(`${this.sim.apiBase}${path}?${new URLSearchParams(query).toString()}`);
  }
}

/** The ` rid: 8hex-8hex-8hex` suffix every error carries. */
export const RID_SUFFIX = / rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/;

/** A frozen clock that tests move by hand. */
export function manualClock(start = Date.UTC(2025, 5, 1, 4, 0, 0)): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}
