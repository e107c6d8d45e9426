import type { Owner, Store } from '../store/store.js';
import type { MessageFacts } from './inbound-query.js';

/**
 * Facts about a follower that outlive one message, offered to the AI with later messages: the QR scene they came
 * from (subscribe, SCAN) and their last known place (LOCATION events, location messages). Tagged with the
 * follower, so unsubscribing or `privacy purge` removes them.
 */
export class FollowerFacts {
  readonly #store: Store;
  readonly #ttlMs: number;

  constructor(store: Store, ttlMs: number) {
    this.#store = store;
    this.#ttlMs = ttlMs;
  }

  #key(owner: Owner): string {
    return `facts:${owner.account}:${owner.openid}`;
  }

  /** What is known about the follower (empty when nothing). */
  async recall(owner: Owner): Promise<MessageFacts> {
    const raw = await this.#store.get(this.#key(owner));
    if (raw === undefined) return {};
    try {
      return JSON.parse(raw) as MessageFacts;
    } catch {
      return {};
    }
  }

  /**
   * Adds or replaces facts, keeping the others; an empty value forgets that fact. Concurrent updates of one
   * follower are rare and last-write-wins.
   */
  async remember(owner: Owner, facts: MessageFacts): Promise<void> {
    if (Object.keys(facts).length === 0) return;
    const merged: MessageFacts = { ...(await this.recall(owner)), ...facts };
    for (const [name, value] of Object.entries(facts)) if (value === '') delete merged[name];
    await this.#store.set(this.#key(owner), JSON.stringify(merged), { ttlMs: this.#ttlMs, owner });
  }
}
