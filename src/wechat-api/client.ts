/**
 * The WeChat Official Account API client: `new WeChatClient({ appId, appSecret, store })`, then
 * `client.message.send(…)`, `client.media.upload(…)`, `client.draft.add(…)` …
 * Every authenticated call gets the shared access token; on 40001/40014/42001 the failed token is
 * invalidated (only if still cached), a fresh one fetched, and the call retried once.
 */
import type { Logger } from 'pino';
import type { Store } from '../store/store.js';
import { AccessTokenManager, type TokenEndpoint } from './access-token.js';
import { ApiCore, type ApiAnswer, type ApiRequest, type QueryValue } from './api-core.js';
import { TOKEN_INVALID_CODES } from './error-hints.js';
import { WeChatApiError, WeChatTransportError } from './errors.js';
import type { CallOptions } from './resource.js';
import { Draft } from './resources/draft.js';
import { FreePublish } from './resources/freepublish.js';
import { Material } from './resources/material.js';
import { Media } from './resources/media.js';
import { Menu } from './resources/menu.js';
import { Message } from './resources/message.js';
import { User } from './resources/user.js';

export interface WeChatClientOptions {
  appId: string;
  appSecret: string;
  /** Where the access token is cached and locked; share it between processes of one account. */
  store: Store;
  /** API base URL (scheme + host, optional path prefix). Default `https://api.weixin.qq.com`; a proxy or the simulator. */
  apiBase?: string;
  /** Default `stable_token`. */
  tokenEndpoint?: TokenEndpoint;
  /** Per-call timeout in ms. Default 15 000. */
  timeoutMs?: number;
  /** Timeout for uploads and downloads in ms. Default 60 000. */
  transferTimeoutMs?: number;
  /** Refresh the token when less than this remains. Default 300 000 ms. */
  refreshAheadMs?: number;
  /** Retries after errcode -1 (busy). Default 3. */
  busyRetries?: number;
  /** First backoff after -1, doubled each retry. Default 200 ms. */
  busyBackoffMs?: number;
  /** How to wait between -1 retries (tests inject a fake). */
  sleep?: (ms: number) => Promise<void>;
  /** How long to wait for another process's token refresh. Default 5 000 ms. */
  lockWaitMs?: number;
  /** Poll interval while waiting for that refresh. Default 50 ms. */
  lockPollMs?: number;
  /** Clock for token expiry, epoch ms. Default Date.now. */
  now?: () => number;
  fetch?: typeof fetch;
  /** pino logger; default silent. Never receives a token or the secret. */
  logger?: Logger;
}

/** An authenticated request: as ApiRequest, without the token (the client adds it). */
export type AuthedRequest = Omit<ApiRequest, 'accessToken'>;

/** One WeChat Official Account (AppID) as seen through its API. */
export class WeChatClient {
  readonly appId: string;
  readonly core: ApiCore;
  /** The shared token: `get()` and `invalidate(token)`. */
  readonly accessToken: AccessTokenManager;
  readonly transferTimeoutMs: number;
  private readonly logger: Logger | undefined;

  readonly message: Message;
  readonly media: Media;
  readonly material: Material;
  readonly draft: Draft;
  readonly freepublish: FreePublish;
  readonly menu: Menu;
  readonly user: User;

  constructor(options: WeChatClientOptions) {
    if (!options.appId) throw new TypeError('WeChatClient: appId is required');
    if (!options.appSecret) throw new TypeError(`WeChatClient: appSecret is required for ${options.appId}`);
    this.appId = options.appId;
    this.logger = options.logger;
    this.transferTimeoutMs = options.transferTimeoutMs ?? 60_000;
    this.core = new ApiCore({
      apiBase: options.apiBase,
      timeoutMs: options.timeoutMs,
      busyRetries: options.busyRetries,
      busyBackoffMs: options.busyBackoffMs,
      sleep: options.sleep,
      fetch: options.fetch,
      logger: options.logger,
    });
    this.accessToken = new AccessTokenManager({
      appId: options.appId,
      appSecret: options.appSecret,
      store: options.store,
      core: this.core,
      endpoint: options.tokenEndpoint,
      refreshAheadMs: options.refreshAheadMs,
      lockWaitMs: options.lockWaitMs,
      lockPollMs: options.lockPollMs,
      now: options.now,
      logger: options.logger,
    });
    this.message = new Message(this);
    this.media = new Media(this);
    this.material = new Material(this);
    this.draft = new Draft(this);
    this.freepublish = new FreePublish(this);
    this.menu = new Menu(this);
    this.user = new User(this);
  }

  /** Send an authenticated request; refreshes the token and retries once when WeChat says it is no longer valid. */
  async request(request: AuthedRequest): Promise<ApiAnswer> {
    const token = await this.accessToken.get();
    try {
      return await this.core.send({ ...request, accessToken: token });
    } catch (error) {
      if (!(error instanceof WeChatApiError) || !TOKEN_INVALID_CODES.has(error.errcode)) throw error;
      this.logger?.info({ path: request.path, errcode: error.errcode }, 'wechat token rejected; refreshing and retrying once');
      await this.accessToken.invalidate(token);
      const fresh = await this.accessToken.get();
      return this.core.send({ ...request, accessToken: fresh });
    }
  }

  /** GET a JSON API. */
  async getJson<T>(path: string, query?: Record<string, QueryValue>, options?: CallOptions): Promise<T> {
    return jsonOf<T>(path, await this.request({ method: 'GET', path, query, ...options }));
  }

  /** POST JSON to an API and return its JSON answer. */
  async postJson<T>(path: string, body: unknown, options?: CallOptions & { query?: Record<string, QueryValue> }): Promise<T> {
    const { query, ...call } = options ?? {};
    return jsonOf<T>(path, await this.request({ method: 'POST', path, json: body, query, ...call }));
  }

  /** POST a multipart form (uploads) and return the JSON answer. */
  async postForm<T>(path: string, form: FormData, options?: CallOptions & { query?: Record<string, QueryValue> }): Promise<T> {
    const { query, timeoutMs, signal } = options ?? {};
    const request: AuthedRequest = { method: 'POST', path, form, query, timeoutMs: timeoutMs ?? this.transferTimeoutMs, signal };
    return jsonOf<T>(path, await this.request(request));
  }
}

function jsonOf<T>(path: string, answer: ApiAnswer): T {
  if (answer.kind !== 'json') throw new WeChatTransportError(path, `expected JSON, got a ${answer.contentType} file`);
  return answer.body as T;
}
