import type { Store } from '../store/store.js';

export type ReplayVerdict = 'fresh' | 'redelivery' | 'stale' | 'replayed';

export interface ReplayGuardOptions {
  store: Store;
  /** Largest accepted distance between the request timestamp and now. */
  windowSeconds: number;
  /** How long WeChat may re-deliver one message (attempts × timeout), during which a repeated nonce is tolerated. */
  redeliveryWindowMs: number;
  now?: () => number;
}

/**
 * Refuses stale timestamps and replayed (timestamp, nonce) pairs. Whether WeChat re-signs its retries is
 * undocumented, so a repeated nonce carrying the *same* message within the redelivery window is let through as a
 * redelivery (it only attaches to the existing job); any other repeat is a replay.
 */
export class ReplayGuard {
  readonly #o: ReplayGuardOptions;
  readonly #now: () => number;

  constructor(options: ReplayGuardOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
  }

  /** How long a nonce is remembered: twice the accepted clock skew, so no accepted request can repeat one. */
  get nonceTtlMs(): number {
    return this.#o.windowSeconds * 2000;
  }

  /** Checks a request's timestamp and nonce; `messageKey` identifies its message. */
  async check(account: string, timestamp: string, nonce: string, messageKey: string): Promise<ReplayVerdict> {
    const ts = Number(timestamp);
    const now = this.#now();
    if (!Number.isInteger(ts) || Math.abs(now / 1000 - ts) > this.#o.windowSeconds) return 'stale';
    const key = `nonce:${account}:${timestamp}:${nonce}`;
    const value = `${now}|${messageKey}`;
    if (await this.#o.store.claim(key, value, { ttlMs: this.nonceTtlMs })) return 'fresh';
    const seen = await this.#o.store.get(key);
    if (seen === undefined) return 'fresh';
    const sep = seen.indexOf('|');
    const firstAt = Number(seen.slice(0, sep));
    return seen.slice(sep + 1) === messageKey && now - firstAt <= this.#o.redeliveryWindowMs ? 'redelivery' : 'replayed';
  }
}
