import type { Logger } from 'pino';
import type { LeasedItem, Owner, Store } from '../store/store.js';
import { QUEUES, type DeliveryEngine } from './delivery-engine.js';
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
 * Drains followers' inboxes: one follower at a time per lease on the `ready` queue, so a follower's messages
 * reach the AI in order and one conversation is never driven by two calls at once, across processes.
 */
export class FollowerInbox {
  readonly #o: FollowerInboxOptions;
  readonly worker: QueueWorker;

  constructor(options: FollowerInboxOptions) {
    this.#o = options;
    this.worker = new QueueWorker({
      store: options.store,
      queue: QUEUES.ready,
      leaseMs: options.leaseMs,
      concurrency: options.concurrency,
      pollMs: options.pollMs,
      logger: options.logger,
      handle: (item) => this.#drain(item),
      afterAck: (item) => this.#recheck(JSON.parse(item.payload) as Owner),
    });
  }

  async #drain(readyItem: LeasedItem): Promise<void> {
    const { store, engine, leaseMs, logger } = this.#o;
    const owner = JSON.parse(readyItem.payload) as Owner;
    const inbox = QUEUES.inbox(owner);
    for (let item = await store.lease(inbox, leaseMs); item; item = await store.lease(inbox, leaseMs)) {
      let answer: OutMessage[];
      try {
        answer = await this.#o.handle(owner, item.payload, item.id);
      } catch (err) {
        // Handlers turn AI failures into an apology; reaching here is a bug. Answer nothing rather than loop.
        logger?.error({ err, account: owner.account, messageKey: item.id }, 'message handler threw');
        answer = [];
      }
      await engine.complete(owner, item.id, answer);
      await store.ack(inbox, item.id, item.leaseToken);
    }
  }

  /** A message queued while this follower's ready item was held found it present (enqueue is idempotent) and
   * added nothing: after the ack, put the follower back if its inbox is not empty. */
  async #recheck(owner: Owner): Promise<void> {
    if ((await this.#o.store.queueSize(QUEUES.inbox(owner))) > 0) {
      await this.#o.store.enqueue(QUEUES.ready, { id: `${owner.account}:${owner.openid}`, payload: JSON.stringify(owner), owner });
      this.worker.kick();
    }
  }
}
