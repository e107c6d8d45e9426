import type { Owner, Store } from '../store/store.js';

/**
 * The Dify conversation of each follower, per account. The TTL is the idle reset: a follower silent for longer
 * starts a new conversation; every answer renews it.
 */
export class Conversations {
  readonly #store: Store;
  readonly #idleMs: (account: string) => number;

  constructor(store: Store, idleMs: (account: string) => number) {
    this.#store = store;
    this.#idleMs = idleMs;
  }

  #key(owner: Owner): string {
    return `conv:${owner.account}:${owner.openid}`;
  }

  /** The follower's current conversation id, if one is still alive. */
  get(owner: Owner): Promise<string | undefined> {
    return this.#store.get(this.#key(owner));
  }

  /** Remembers (and renews) the follower's conversation. */
  async set(owner: Owner, conversationId: string): Promise<void> {
    await this.#store.set(this.#key(owner), conversationId, { ttlMs: this.#idleMs(owner.account), owner });
  }

  /** Forgets the conversation, but only if it is still `conversationId` (a newer one stays). */
  async drop(owner: Owner, conversationId?: string): Promise<void> {
    if (conversationId === undefined) await this.#store.delete(this.#key(owner));
    else await this.#store.compareAndDelete(this.#key(owner), conversationId);
  }
}
