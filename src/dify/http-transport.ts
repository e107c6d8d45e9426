import type { Logger } from 'pino';
import { apiErrorFromResponse, parseJsonObject } from './api-error-body.js';
import { DifyTransportError } from './errors.js';
import { fetchSender } from './fetch-sender.js';
import type { HttpSender, OutgoingRequest } from './http-sender.js';
import { RequestWatchdog } from './request-watchdog.js';
import { undiciSender } from './undici-sender.js';

/** The global fetch as it was when this module loaded: passing it means "no custom fetch". */
const NATIVE_FETCH: typeof fetch | undefined = globalThis.fetch;

/** Settings shared by every request of one client. */
export interface DifyHttpOptions {
  /** e.g. `http://host/v1` or `http://host/console/api`; trailing slashes are ignored. */
  baseUrl: string;
  timeoutMs: number;
  /** Extra attempts for idempotent requests on network errors, 5xx and 429. */
  maxRetries: number;
  /** First backoff delay; doubles per attempt (with up to 25 % jitter). */
  retryDelayMs: number;
  logger: Logger;
  /**
   * A custom fetch (tests, proxies). Without one — or given the unpatched global fetch — requests go through
   * `undici.request` on a shared keep-alive pool, which costs far less CPU per call.
   */
  fetch?: typeof fetch;
  /** Sent as `User-Agent` on every request. */
  userAgent?: string;
}

export type QueryValue = string | number | boolean | undefined | null;

/** One HTTP request, relative to the client's base URL. */
export interface DifyRequest {
  method: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH';
  /** Path with every interpolated segment already encoded (see `encodePath`). */
  path: string;
  query?: Record<string, QueryValue | readonly QueryValue[]>;
  /** Sent as `application/json` (always with that Content-Type, DELETE included: Dify answers 415 otherwise). */
  json?: unknown;
  form?: FormData;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  timeoutMs?: number;
  /**
   * Retry on network errors, 5xx and 429. Only for requests that are safe to repeat; never for
   * generation POSTs (a timed-out POST may already have run).
   */
  idempotent?: boolean;
}

/** A complete HTTP answer (body fully read). */
export interface DifyHttpResponse {
  status: number;
  headers: Headers;
  body: Uint8Array;
  /** The body as UTF-8 text. */
  text(): string;
}

/** Per-stream timers (milliseconds). */
export interface StreamTimeouts {
  /** Overall cap on the whole stream. */
  timeoutMs: number;
  /** From sending the request to the first `data:` event (pings do not count). */
  firstEventTimeoutMs: number;
  /** Longest silence (no bytes at all, pings included) once the first event arrived. */
  idleTimeoutMs: number;
}

/** An opened event stream: status 200 and a body still to be read. */
export interface OpenedStream {
  endpoint: string;
  /** The body's byte chunks; `return()` before the end closes the connection. */
  body: AsyncIterator<Uint8Array>;
  watchdog: RequestWatchdog;
}

/** Encodes every interpolated path segment: ``encodePath`/conversations/${id}` ``. */
export function encodePath(strings: TemplateStringsArray, ...values: (string | number)[]): string {
  return strings.reduce((out, part, i) => out + part + (i < values.length ? encodeURIComponent(String(values[i])) : ''), '');
}

/** Thin HTTP layer shared by the Service and Console clients: URLs, timeouts, typed errors, GET retries. */
export class DifyHttp {
  readonly #options: DifyHttpOptions;
  readonly #base: string;
  readonly #sender: HttpSender;

  constructor(options: DifyHttpOptions) {
    this.#options = options;
    this.#base = options.baseUrl.replace(/\/+$/, '');
    const custom = options.fetch === NATIVE_FETCH ? undefined : options.fetch;
    this.#sender = custom ? fetchSender(custom) : undiciSender();
  }

  get baseUrl(): string {
    return this.#base;
  }

  /** Sends a request and reads the whole answer, whatever its status. Retries idempotent requests. */
  async send(request: DifyRequest): Promise<DifyHttpResponse> {
    const endpoint = endpointOf(request);
    const attempts = request.idempotent ? this.#options.maxRetries + 1 : 1;
    for (let attempt = 1; ; attempt += 1) {
      let response: DifyHttpResponse | undefined;
      let failure: unknown;
      try {
        response = await this.#sendOnce(request, endpoint);
      } catch (err) {
        failure = err;
      }
      const retryable =
        failure !== undefined
          ? failure instanceof DifyTransportError && (failure.reason === 'network' || failure.reason === 'timeout')
          : response !== undefined && (response.status >= 500 || response.status === 429);
      if (!retryable || attempt >= attempts) {
        if (failure !== undefined) throw failure;
        return response as DifyHttpResponse;
      }
      const delay = this.#retryDelay(attempt, response);
      this.#options.logger.warn(
        { endpoint, attempt, status: response?.status, reason: (failure as DifyTransportError | undefined)?.reason, delayMs: delay },
        'dify request failed, retrying',
      );
      await sleep(delay, request.signal);
    }
  }

  /** Sends a request and returns its JSON body; any status outside `okStatuses` throws a `DifyApiError`. */
  async json<T>(request: DifyRequest, okStatuses: readonly number[] = [200]): Promise<T> {
    return readJson<T>(await this.send(request), endpointOf(request), okStatuses);
  }

  /** Opens a `text/event-stream`. HTTP errors throw `DifyApiError`; the first-event timer starts now. */
  async openStream(request: DifyRequest, timeouts: StreamTimeouts): Promise<OpenedStream> {
    const endpoint = endpointOf(request);
    const watchdog = new RequestWatchdog(endpoint, timeouts.timeoutMs, request.signal);
    watchdog.arm('first_event', timeouts.firstEventTimeoutMs, () =>
      watchdog.fail('first_event_timeout', `no event within ${timeouts.firstEventTimeoutMs} ms of sending the request`),
    );
    const started = Date.now();
    try {
      const response = await this.#sender(this.#outgoing(request, watchdog.signal));
      this.#options.logger.debug({ endpoint, status: response.status, ms: Date.now() - started }, 'dify stream opened');
      const contentType = response.header('content-type') ?? '';
      if (response.status !== 200 || !contentType.includes('text/event-stream')) {
        const text = new TextDecoder().decode(await response.bytes());
        if (response.status === 200) {
          throw new DifyTransportError(endpoint, 'protocol', `expected an event stream, got ${contentType || 'no content type'}`);
        }
        throw apiErrorFromResponse(response.status, text, endpoint);
      }
      return { endpoint, body: response.chunks(), watchdog };
    } catch (err) {
      const typed = watchdog.translate(err);
      watchdog.dispose();
      throw typed;
    }
  }

  async #sendOnce(request: DifyRequest, endpoint: string): Promise<DifyHttpResponse> {
    const timeoutMs = request.timeoutMs ?? this.#options.timeoutMs;
    const watchdog = new RequestWatchdog(endpoint, timeoutMs, request.signal);
    const started = Date.now();
    try {
      const response = await this.#sender(this.#outgoing(request, watchdog.signal));
      const body = await response.bytes();
      this.#options.logger.debug({ endpoint, status: response.status, ms: Date.now() - started }, 'dify request');
      return {
        status: response.status,
        get headers() {
          return response.headers;
        },
        body,
        text: () => new TextDecoder().decode(body),
      };
    } catch (err) {
      throw watchdog.translate(err);
    } finally {
      watchdog.dispose();
    }
  }

  #url(request: DifyRequest): string {
    const url = `${this.#base}${request.path}`;
    if (!request.query) return url;
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(request.query)) {
      const values = Array.isArray(value) ? value : [value];
      for (const v of values) if (v !== undefined && v !== null) params.append(key, String(v));
    }
    const qs = params.toString();
    return qs === '' ? url : `${url}?${qs}`;
  }

  #outgoing(request: DifyRequest, signal: AbortSignal): OutgoingRequest {
    const headers: Record<string, string> = { ...request.headers };
    if (this.#options.userAgent) headers['User-Agent'] = this.#options.userAgent;
    let body: OutgoingRequest['body'];
    if (request.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(request.json);
    } else if (request.form) {
      body = request.form;
    }
    return { method: request.method, url: this.#url(request), headers, body, signal };
  }

  #retryDelay(attempt: number, response: DifyHttpResponse | undefined): number {
    const retryAfter = Number(response?.headers.get('retry-after'));
    if (Number.isFinite(retryAfter) && retryAfter > 0) return Math.min(retryAfter * 1000, 60_000);
    const base = this.#options.retryDelayMs * 2 ** (attempt - 1);
    return Math.round(base * (1 + Math.random() * 0.25));
  }
}

/** `POST /chat-messages`: how errors name the call (never includes the query string). */
export function endpointOf(request: Pick<DifyRequest, 'method' | 'path'>): string {
  return `${request.method} ${request.path}`;
}

/** Parses an answer's JSON body; a status outside `okStatuses` throws a `DifyApiError`, an empty body gives undefined. */
export function readJson<T>(response: DifyHttpResponse, endpoint: string, okStatuses: readonly number[] = [200]): T {
  if (!okStatuses.includes(response.status)) throw apiErrorFromResponse(response.status, response.text(), endpoint);
  const text = response.text();
  if (text === '') return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    throw new DifyTransportError(endpoint, 'protocol', `answer is not JSON: ${text.slice(0, 120)}`, { cause });
  }
}

/** Reads `{result: "success"}`-style bodies and other JSON objects leniently. */
export function jsonObjectOf(response: DifyHttpResponse): Record<string, unknown> | undefined {
  return parseJsonObject(response.text());
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
