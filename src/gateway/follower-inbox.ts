import type { Logger } from 'pino';
import type { LeasedItem, Owner, Store } from '../store/store.js';
import type { DeliveryEngine } from './delivery-engine.js';
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

/** One queued message as stored in the inbox queue. */
interface InboxEntry {
  account: string;
  openid: string;
  key: string;
  input: string;
}

/** The store group of a follower's messages: one at a time, in order. */
export function followerGroup(owner: Owner): string {
  return `${owner.account}:${owner.openid}`;
}

/** Queues a follower message for the AI (idempotent on the message key). */
export async function enqueueMessage(store: Store, owner: Owner, messageKey: string, input: string): Promise<void> {
  const entry: InboxEntry = { account: owner.account, openid: owner.openid, key: messageKey, input };
  await store.enqueue(QUEUES.inbox, {
    id: `${owner.account}:${messageKey}`,
    payload: JSON.stringify(entry),
    group: followerGroup(owner),
    owner,
  });
}

/** Messages of a follower still waiting for (or getting) their answer. */
export function queuedMessages(store: Store, owner: Owner): Promise<number> {
  return store.queueSize(QUEUES.inbox, followerGroup(owner));
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
    const entry = JSON.parse(item.payload) as InboxEntry;
    const owner: Owner = { account: entry.account, openid: entry.openid };
    let answer: OutMessage[];
    try {
      answer = await this.#o.handle(owner, entry.input, entry.key);
    } catch (err) {
      // Handlers turn AI failures into an apology; reaching here is a bug. Answer nothing rather than loop.
      this.#o.logger?.error({ err, account: owner.account, messageKey: entry.key }, 'message handler threw');
      answer = [];
    }
    await this.#o.engine.complete(owner, entry.key, answer);
  }
}
