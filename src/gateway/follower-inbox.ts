import type { Logger } from 'pino';
import type { LeasedItem, Owner, Store } from '../store/store.js';
import type { DeliveryEngine } from './delivery-engine.js';
import { decodeInboxEntry } from './inbox-queue.js';
import { QUEUES } from './queues.js';
import type { OutMessage } from './out-message.js';
import { QueueWorker } from './queue-worker.js';

/** Computes the answer to one follower message (the AI call, or a command). Never throws for AI failures. */
export type MessageHandler = (owner: Owner, payload: string, messageKey: string) => Promise<OutMessage[]>;

export interface FollowerInboxOptions {
  store: Store;
  engine: DeliveryEngine;
  handle: MessageHandler;
  /** Longest a handler may run (the AI's timeout plus margin); the lease must outlast it. */
  leaseMs: number;
  concurrency: number;
  pollMs: number;
  logger?: Logger | undefined;
}

/**
 * Hands queued follower messages to the AI. The inbox queue groups items by follower, so a follower's messages
 * reach the AI in order and one conversation is never driven by two calls at once, across processes.
 */
export class FollowerInbox {
  readonly #o: FollowerInboxOptions;
  readonly worker: QueueWorker;

  constructor(options: FollowerInboxOptions) {
    this.#o = options;
    this.worker = new QueueWorker({
      store: options.store,
      queue: QUEUES.inbox,
      leaseMs: options.leaseMs,
      concurrency: options.concurrency,
      pollMs: options.pollMs,
      logger: options.logger,
      handle: (item) => this.#answer(item),
    });
  }

  async #answer(item: LeasedItem): Promise<void> {
    const { owner, key, input } = decodeInboxEntry(item.payload);
    let answer: OutMessage[];
    try {
      answer = await this.#o.handle(owner, input, key);
    } catch (err) {
      // Handlers turn AI failures into an apology; reaching here is a bug. Answer nothing rather than loop.
      this.#o.logger?.error({ err, account: owner.account, messageKey: key }, 'message handler threw');
      answer = [];
    }
    await this.#o.engine.complete(owner, key, answer);
  }
}
