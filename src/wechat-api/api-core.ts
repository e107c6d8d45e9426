/**
 * One WeChat API exchange: build the URL against the configured base, send with a per-call timeout, read
 * the §9 envelope (errcode only — errmsg text varies), and retry errcode -1 with exponential backoff.
 * Nothing else is retried here; the access-token refresh lives one layer up (client.ts).
 */
import type { Logger } from 'pino';
import { parseErrmsg } from './errmsg.js';
import { BUSY_CODE, hintFor } from './error-hints.js';
import { WeChatApiError, WeChatTransportError } from './errors.js';
import { redactedCause, redactSecrets, redactUrl } from './redact.js';

export const DEFAULT_WECHAT_API_BASE = 'https://api.weixin.qq.com';

export type QueryValue = string | number | undefined;

export interface ApiRequest {
  method: 'GET' | 'POST';
  /** e.g. `/cgi-bin/message/custom/send`. */
  path: string;
  query?: Record<string, QueryValue>;
  /** JSON body (serialised with non-ASCII kept as-is, as WeChat requires). */
  json?: unknown;
  /** Multipart body; mutually exclusive with `json`. */
  form?: FormData;
  /** Added as `?access_token=`; redacted from everything this layer reports. */
  accessToken?: string;
  /** Other values to keep out of errors and logs (e.g. an AppSecret sent in the query). */
  secrets?: readonly string[];
  /** Accept a non-JSON answer as file bytes (media/get, get_material) instead of failing. */
  binary?: boolean;
  /** Overrides the client's timeout for this call. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** A successful answer: the JSON object (errcode absent or 0), or the bytes of a downloaded file. */
export type ApiAnswer =
  | { kind: 'json'; body: Record<string, unknown> }
  | { kind: 'bytes'; data: Buffer; contentType: string; filename: string | undefined };

export interface ApiCoreOptions {
  /** Scheme + host (+ optional path prefix) of the API; a proxy or the simulator in tests. */
  apiBase?: string;
  /** Per-call timeout in ms. Default 15 000. */
  timeoutMs?: number;
  /** Retries after errcode -1. Default 3. */
  busyRetries?: number;
  /** First backoff after -1, doubled each time (200, 400, 800 ms by default). */
  busyBackoffMs?: number;
  /** How to wait between retries; tests inject a fake. */
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
  logger?: Logger;
}

const sleepFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends requests to the WeChat API and turns its answers into values or typed errors. */
export class ApiCore {
  readonly apiBase: string;
  readonly timeoutMs: number;
  private readonly busyRetries: number;
  private readonly busyBackoffMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly fetch: typeof fetch;
  private readonly logger: Logger | undefined;

  constructor(options: ApiCoreOptions = {}) {
    this.apiBase = (options.apiBase ?? DEFAULT_WECHAT_API_BASE).replace(/\/+$/, '');
    if (!/^https?:\/\//i.test(this.apiBase)) {
      throw new TypeError(`wechat apiBase must start with http:// or https:// (got "${this.apiBase}")`);
    }
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.busyRetries = options.busyRetries ?? 3;
    this.busyBackoffMs = options.busyBackoffMs ?? 200;
    this.sleep = options.sleep ?? sleepFor;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.logger = options.logger;
  }

  /** Send `request`; retries errcode -1 up to `busyRetries` times, throws WeChatApiError / WeChatTransportError. */
  async send(request: ApiRequest): Promise<ApiAnswer> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once(request);
      } catch (error) {
        if (!(error instanceof WeChatApiError) || error.errcode !== BUSY_CODE || attempt >= this.busyRetries) throw error;
        const delay = this.busyBackoffMs * 2 ** attempt;
        this.logger?.warn({ path: request.path, attempt: attempt + 1, delayMs: delay }, 'wechat busy (-1), retrying');
        await this.sleep(delay);
      }
    }
  }

  private async once(request: ApiRequest): Promise<ApiAnswer> {
    const secrets = [request.accessToken, ...(request.secrets ?? [])];
    const url = this.url(request);
    const timeoutMs = request.timeoutMs ?? this.timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    const init: RequestInit = { method: request.method, signal };
    if (request.json !== undefined) {
      init.body = JSON.stringify(request.json);
      init.headers = { 'content-type': 'application/json; charset=utf-8' };
    } else if (request.form) {
      init.body = request.form;
    }
    this.logger?.debug({ method: request.method, url: redactUrl(url) }, 'wechat request');

    let response: Response;
    let raw: Buffer;
    try {
      response = await this.fetch(url, init);
      raw = Buffer.from(await response.arrayBuffer());
    } catch (error) {
      const timedOut = timeout.aborted && !request.signal?.aborted;
      const what = timedOut ? `no answer within ${timeoutMs} ms` : `request failed (${failureDetail(error, secrets)})`;
      throw new WeChatTransportError(request.path, what, { cause: redactedCause(error, secrets) });
    }

    const contentType = response.headers.get('content-type') ?? '';
    const looksJson = /json|text\/plain/i.test(contentType) || (contentType === '' && raw[0] === 0x7b);
    if (request.binary && !looksJson && response.ok) {
      return { kind: 'bytes', data: raw, contentType, filename: filenameOf(response.headers.get('content-disposition')) };
    }
    const body = parseJsonObject(raw);
    if (!body) {
      throw new WeChatTransportError(
        request.path,
        `expected a JSON answer, got HTTP ${response.status} ${contentType || 'without content-type'} (${raw.length} bytes)`,
      );
    }
    const errcode = typeof body.errcode === 'number' ? body.errcode : Number(body.errcode ?? 0);
    if (Number.isFinite(errcode) && errcode !== 0) {
      const { errmsg, rid } = parseErrmsg(redactSecrets(String(body.errmsg ?? ''), secrets));
      this.logger?.info({ path: request.path, errcode, rid }, 'wechat error');
      throw new WeChatApiError({ errcode, errmsg, rid, path: request.path, hint: hintFor(errcode, errmsg, request.path) });
    }
    if (!response.ok) {
      throw new WeChatTransportError(request.path, `HTTP ${response.status} without a WeChat error code`);
    }
    return { kind: 'json', body };
  }

  private url(request: ApiRequest): string {
    const params = new URLSearchParams();
    if (request.accessToken !== undefined) params.set('access_token', request.accessToken);
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) params.set(name, String(value));
    }
    const query = params.toString();
    return `${this.apiBase}${request.path}${query ? `?${query}` : ''}`;
  }
}

function parseJsonObject(raw: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(raw.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function failureDetail(error: unknown, secrets: readonly (string | undefined)[]): string {
  const cause = error instanceof Error ? error.cause : undefined;
  const detail = cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error);
  return redactSecrets(detail, secrets);
}

/** The filename of a `Content-Disposition: attachment; filename="x.jpg"` header (RFC 5987 form included). */
export function filenameOf(disposition: string | null): string | undefined {
  if (!disposition) return undefined;
  const extended = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(disposition)?.[1];
  if (extended) {
    try {
      return decodeURIComponent(extended.trim().replace(/^"|"$/g, ''));
    } catch {
      // fall through to the plain form
    }
  }
  return /filename\s*=\s*"?([^";]+)"?/i.exec(disposition)?.[1]?.trim();
}
