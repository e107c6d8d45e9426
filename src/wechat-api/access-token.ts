/**
 * The access-token manager (reference §5). One token per AppID and endpoint, kept in the shared Store so that
 * every process of an account uses the same one: a token request by one process invalidates the others'
 * tokens on `/cgi-bin/token`, and wastes quota on both endpoints.
 *
 * - single-flight inside a process (one in-flight refresh, awaited by every caller);
 * - across processes the store lock; waiters poll and re-check the cache, and the holder re-checks it after
 *   locking, so N processes make one request;
 * - refreshed ahead of expiry (default when < 300 s remain);
 * - `invalidate(failed)` removes the cached token only if it is still the one that failed (compare-and-delete),
 *   so a stale failure never throws away a newer token another process just stored.
 */
import type { Logger } from 'pino';
import type { Store } from '../store/store.js';
import type { ApiCore } from './api-core.js';
import { WeChatTransportError } from './errors.js';

/** Which WeChat endpoint issues tokens: `stable_token` (default; repeated calls return the same token) or `token`. */
export type TokenEndpoint = 'stable_token' | 'token';

export interface AccessTokenManagerOptions {
  appId: string;
  appSecret: string;
  store: Store;
  core: ApiCore;
  endpoint?: TokenEndpoint;
  /** Refresh when less than this remains. Default 300 000 ms (WeChat's overlap window). */
  refreshAheadMs?: number;
  /** How long the cross-process lock is held at most. Default the core timeout + 5 s. */
  lockTtlMs?: number;
  /** How long to wait for another process's refresh before requesting a token anyway. Default 5 000 ms. */
  lockWaitMs?: number;
  /** Pause between polls of the lock and the cache. Default 50 ms. */
  lockPollMs?: number;
  /** Clock in epoch ms. Default Date.now. */
  now?: () => number;
  logger?: Logger;
}

/** What the store holds under the token key (JSON). */
interface CachedToken {
  accessToken: string;
  /** Epoch ms when WeChat stops accepting it. */
  expiresAt: number;
  /** Epoch ms from which callers refresh instead of using it. */
  refreshAt: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Fetches, caches and shares one access token per AppID. */
export class AccessTokenManager {
  readonly endpoint: TokenEndpoint;
  /** Store key of the cached token: `wechat:token:<appId>:<endpoint>` (never the secret). */
  readonly cacheKey: string;
  /** Store lock taken while refreshing. */
  readonly lockName: string;
  private readonly appId: string;
  private readonly appSecret: string;
  private readonly store: Store;
  private readonly core: ApiCore;
  private readonly refreshAheadMs: number;
  private readonly lockTtlMs: number;
  private readonly lockWaitMs: number;
  private readonly lockPollMs: number;
  private readonly now: () => number;
  private readonly logger: Logger | undefined;
  private inflight: Promise<string> | undefined;

  constructor(options: AccessTokenManagerOptions) {
    this.appId = options.appId;
    this.appSecret = options.appSecret;
    this.store = options.store;
    this.core = options.core;
    this.endpoint = options.endpoint ?? 'stable_token';
    this.refreshAheadMs = options.refreshAheadMs ?? 300_000;
    this.lockTtlMs = options.lockTtlMs ?? options.core.timeoutMs + 5_000;
    this.lockWaitMs = options.lockWaitMs ?? 5_000;
    this.lockPollMs = options.lockPollMs ?? 50;
    this.now = options.now ?? Date.now;
    this.logger = options.logger;
    this.cacheKey = `wechat:token:${this.appId}:${this.endpoint}`;
    this.lockName = `wechat:token-lock:${this.appId}:${this.endpoint}`;
  }

  /** A usable access token: the cached one while fresh, otherwise one refresh shared by every caller. */
  async get(): Promise<string> {
    const cached = await this.read();
    if (cached && this.now() < cached.refreshAt) return cached.accessToken;
    this.inflight ??= this.refresh().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /**
   * Forget `failedToken` after WeChat rejected it (40001/40014/42001) — only if the store still holds it.
   * True when it was removed; false when the cache already holds another token (use that one).
   */
  async invalidate(failedToken: string): Promise<boolean> {
    const raw = await this.store.get(this.cacheKey);
    if (raw === undefined || parseCached(raw)?.accessToken !== failedToken) return false;
    const removed = await this.store.compareAndDelete(this.cacheKey, raw);
    if (removed) this.logger?.info({ appId: this.appId, endpoint: this.endpoint }, 'wechat access token invalidated');
    return removed;
  }

  private async read(): Promise<CachedToken | undefined> {
    const raw = await this.store.get(this.cacheKey);
    const cached = raw === undefined ? undefined : parseCached(raw);
    return cached && this.now() < cached.expiresAt ? cached : undefined;
  }

  private async refresh(): Promise<string> {
    const polls = Math.max(1, Math.ceil(this.lockWaitMs / this.lockPollMs));
    for (let poll = 0; ; poll++) {
      const lock = await this.store.acquireLock(this.lockName, this.lockTtlMs);
      if (lock !== undefined) {
        try {
          // Someone may have refreshed between our cache miss and this lock.
          const cached = await this.read();
          if (cached && this.now() < cached.refreshAt) return cached.accessToken;
          return await this.fetchAndStore();
        } finally {
          await this.store.releaseLock(this.lockName, lock);
        }
      }
      // Another process is refreshing: a still-valid token will do meanwhile.
      const cached = await this.read();
      if (cached) return cached.accessToken;
      if (poll >= polls) {
        this.logger?.warn({ appId: this.appId, lock: this.lockName, waitedMs: this.lockWaitMs }, 'token lock still held; requesting a token without it');
        return this.fetchAndStore();
      }
      await sleep(this.lockPollMs);
    }
  }

  private async fetchAndStore(): Promise<string> {
    const path = this.endpoint === 'stable_token' ? '/cgi-bin/stable_token' : '/cgi-bin/token';
    const answer =
      this.endpoint === 'stable_token'
        ? await this.core.send({
            method: 'POST',
            path,
            json: { grant_type: 'client_credential', appid: this.appId, secret: this.appSecret },
            secrets: [this.appSecret],
          })
        : await this.core.send({
            method: 'GET',
            path,
            query: { grant_type: 'client_credential', appid: this.appId, secret: this.appSecret },
            secrets: [this.appSecret],
          });
    const body = answer.kind === 'json' ? answer.body : {};
    const accessToken = body.access_token;
    const expiresIn = Number(body.expires_in);
    if (typeof accessToken !== 'string' || accessToken === '' || !(expiresIn > 0)) {
      throw new WeChatTransportError(path, 'the answer carries no access_token/expires_in');
    }
    const now = this.now();
    const lifeMs = expiresIn * 1000;
    // Refresh ahead of expiry, but never sooner than half-way: a short-lived token must not cause a refresh per call.
    const cached: CachedToken = {
      accessToken,
      expiresAt: now + lifeMs,
      refreshAt: now + Math.max(lifeMs - this.refreshAheadMs, lifeMs / 2),
    };
    await this.store.set(this.cacheKey, JSON.stringify(cached), { ttlMs: lifeMs });
    this.logger?.info({ appId: this.appId, endpoint: this.endpoint, expiresIn }, 'wechat access token fetched');
    return accessToken;
  }
}

function parseCached(raw: string): CachedToken | undefined {
  try {
    const value = JSON.parse(raw) as Partial<CachedToken>;
    if (typeof value.accessToken === 'string' && typeof value.expiresAt === 'number' && typeof value.refreshAt === 'number') {
      return value as CachedToken;
    }
  } catch {
    // A corrupt entry is treated as a miss and overwritten by the next refresh.
  }
  return undefined;
}
