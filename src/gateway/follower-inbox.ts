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

/** One queued message as the worker reads it back from the inbox queue. */
interface InboxEntry {
  owner: Owner;
  key: string;
  input: string;
}

/**
 * `["account","openid","messageKey"]\n<input>`: the input (itself JSON) is stored as it is instead of being
 * escaped again inside a JSON envelope. JSON never contains a raw newline, so the first one ends the header.
 */
function encodeInboxEntry(owner: Owner, key: string, input: string): string {
  return `${JSON.stringify([owner.account, owner.openid, key])}\n${input}`;
}

function decodeInboxEntry(payload: string): InboxEntry {
  const split = payload.indexOf('\n');
  const [account, openid, key] = JSON.parse(payload.slice(0, split)) as [string, string, string];
  return { owner: { account, openid }, key, input: payload.slice(split + 1) };
}

/** The store group of a follower's messages: one at a time, in order. */
export function followerGroup(owner: Owner): string {
  return `${owner.account}:${owner.openid}`;
}

/** Queues a follower message for the AI (idempotent on the message key). */
export async function enqueueMessage(store: Store, owner: Owner, messageKey: string, input: string): Promise<void> {
  await store.enqueue(QUEUES.inbox, {
    id: `${owner.account}:${messageKey}`,
    payload: encodeInboxEntry(owner, messageKey, input),
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
