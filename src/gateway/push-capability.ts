import type { Store } from '../store/store.js';
import type { PushCapability } from './push-outbox.js';

/** Per-account facts from config that decide whether 客服 push is possible at all. */
export interface PushConfig {
  /** `auto`: try, and learn from a 48001. */
  verified: 'auto' | boolean;
  /** Without an AppSecret there is no access token, so no push. */
  hasSecret: boolean;
}

/**
 * Whether an account can push, from its config and what WeChat said: a 48001 (unverified account) is remembered
 * in the store for `rememberMs`, shared by every process, and the keyword fallback is used meanwhile.
 */
export class StorePushCapability implements PushCapability {
  readonly #store: Store;
  readonly #config: (account: string) => PushConfig | undefined;
  readonly #rememberMs: number;

  constructor(store: Store, config: (account: string) => PushConfig | undefined, rememberMs = 24 * 3600_000) {
    this.#store = store;
    this.#config = config;
    this.#rememberMs = rememberMs;
  }

  async canPush(account: string): Promise<boolean> {
    const c = this.#config(account);
    if (!c || !c.hasSecret || c.verified === false) return false;
    if (c.verified === true) return true;
    return (await this.#store.get(`cap:nopush:${account}`)) === undefined;
  }

  async markCannotPush(account: string): Promise<void> {
    await this.#store.set(`cap:nopush:${account}`, '48001', { ttlMs: this.#rememberMs });
  }
}
