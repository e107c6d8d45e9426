import type { Owner, Store } from '../store/store.js';
import { QUEUES } from './queues.js';
import type { OutMessage } from './out-message.js';

/**
 * Answers kept for the follower to fetch with the keyword (继续 / 1): the fallback when an answer cannot be
 * pushed. Each part is a queue item, so a fetch takes exactly one part, exactly once.
 */
export class PendingAnswers {
  readonly #store: Store;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(store: Store, ttlMs: number, now: () => number = Date.now) {
    this.#store = store;
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  /** Keeps `parts[from…]` in order; ids from `idPrefix` and the part index make a re-run after a crash idempotent. */
  async keep(owner: Owner, idPrefix: string, parts: readonly OutMessage[], from = 0): Promise<void> {
    const base = this.#now();
    for (let i = from; i < parts.length; i++) {
      const part = parts[i];
      // availableAt orders the parts; the TTL is enforced when taking (an expired part is dropped).
      const payload = JSON.stringify({ part, expiresAt: base + this.#ttlMs });
      await this.#store.enqueue(QUEUES.pending(owner), { id: `${idPrefix}:${i}`, payload, availableAt: base + i, owner });
    }
  }

  /** Takes the oldest kept part, with how many remain after it; undefined when nothing is kept. */
  async take(owner: Owner): Promise<{ part: OutMessage; remaining: number } | undefined> {
    const queue = QUEUES.pending(owner);
    for (;;) {
      // A long lease: a taken part is acked at once, and must not reappear meanwhile.
      const item = await this.#store.lease(queue, 60_000);
      if (!item) return undefined;
      await this.#store.ack(queue, item.id, item.leaseToken);
      const { part, expiresAt } = JSON.parse(item.payload) as { part: OutMessage; expiresAt: number };
      if (expiresAt < this.#now()) continue;
      return { part, remaining: await this.#store.queueSize(queue) };
    }
  }

  /** How many parts are kept for the follower. */
  count(owner: Owner): Promise<number> {
    return this.#store.queueSize(QUEUES.pending(owner));
  }
}
