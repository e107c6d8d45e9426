import type { Logger } from 'pino';
import type { LeasedItem, Owner, Store } from '../store/store.js';
import { WeChatApiError } from '../wechat-api/errors.js';
import type { PushOrder } from './delivery-engine.js';
import { QUEUES } from './queues.js';
import { decodeJob, encodeJob, jobKeys } from './job.js';
import type { OutMessage } from './out-message.js';
import type { PendingAnswers } from './pending-answers.js';
import { QueueWorker } from './queue-worker.js';

/** Sends one 客服 message; throws `WeChatApiError` when WeChat refuses it. */
export interface Pusher {
  send(owner: Owner, message: OutMessage): Promise<void>;
}

/** Whether an account may push, learned from config and from WeChat's answers (48001). */
export interface PushCapability {
  canPush(account: string): Promise<boolean>;
  markCannotPush(account: string): Promise<void>;
}

export interface PushOutboxOptions {
  store: Store;
  pusher: Pusher;
  capability: PushCapability;
  pending: PendingAnswers;
  /** 客服 messages allowed per follower message (5 since 2023). */
  quota: number;
  /** The last pushed message when the rest must be fetched with the keyword. */
  overflowNotice: (account: string) => OutMessage;
  pendingTtlMs: number;
  /** Attempts for transient failures (network, busy, rate limit) before the answer is kept for the keyword. */
  maxAttempts: number;
  concurrency: number;
  pollMs: number;
  logger?: Logger | undefined;
}

/** WeChat's answers meaning "this follower cannot receive pushes now": keep the answer for the keyword. */
const WINDOW_CLOSED = new Set([45015, 45047]);
/** The follower is gone or invalid: nothing can deliver the answer. */
const UNDELIVERABLE = new Set([40003, 43004]);

/**
 * Pushes answers (or their rest) by 客服 from the durable outbox, exactly once per part: progress is recorded
 * after each send, so a crash resumes instead of repeating. Parts that cannot be pushed are kept for the keyword.
 */
export class PushOutbox {
  readonly #o: PushOutboxOptions;
  readonly worker: QueueWorker;

  constructor(options: PushOutboxOptions) {
    this.#o = options;
    this.worker = new QueueWorker({
      store: options.store,
      queue: QUEUES.outbox,
      leaseMs: 60_000,
      concurrency: options.concurrency,
      pollMs: options.pollMs,
      logger: options.logger,
      handle: (item) => this.#push(item),
    });
  }

  async #push(item: LeasedItem): Promise<void | { retryInMs: number }> {
    const { store, pendingTtlMs: ttlMs, logger } = this.#o;
    const { owner, messageKey } = JSON.parse(item.payload) as PushOrder;
    const keys = jobKeys(owner.account, messageKey);
    // Several outbox items may exist for one job (rest, window end, late); exactly one of them pushes.
    const claimKey = `pushclaim:${owner.account}:${messageKey}`;
    if (!(await store.claim(claimKey, item.id, { ttlMs, owner })) && (await store.get(claimKey)) !== item.id) return;

    const raw = await store.get(keys.job);
    if (raw === undefined) return;
    const job = decodeJob(raw);
    let offset: number;
    if (job.state === 'delivered') offset = 1;
    else if (job.state === 'handed') offset = 0;
    else if (job.state === 'answered') {
      // No delivery came for it before WeChat stopped retrying: take it for pushing.
      if (!(await store.compareAndSet(keys.job, raw, encodeJob({ ...job, state: 'handed' }), { ttlMs }))) return { retryInMs: 0 };
      offset = 0;
    } else {
      await store.compareAndDelete(claimKey, item.id);
      return { retryInMs: 1000 };
    }
    const parts = job.answer ?? [];
    const progressKey = `pushed:${owner.account}:${messageKey}`;
    let next = Number((await store.get(progressKey)) ?? offset);
    const keep = async (from: number): Promise<void> => {
      await this.#o.pending.keep(owner, messageKey, parts, from);
      await store.set(progressKey, String(parts.length), { ttlMs, owner });
    };

    if (next < parts.length && !(await this.#o.capability.canPush(owner.account))) return keep(next);
    for (; next < parts.length; next++) {
      const used = next - offset;
      const last = used === this.#o.quota - 1 && next < parts.length - 1;
      const message = last ? this.#o.overflowNotice(owner.account) : parts[next];
      if (!message) break;
      try {
        await this.#o.pusher.send(owner, message);
      } catch (err) {
        if (err instanceof WeChatApiError) {
          if (err.errcode === 48001) {
            await this.#o.capability.markCannotPush(owner.account);
            return keep(next);
          }
          if (WINDOW_CLOSED.has(err.errcode)) return keep(next);
          if (UNDELIVERABLE.has(err.errcode)) {
            logger?.warn({ account: owner.account, errcode: err.errcode }, 'follower cannot receive the answer; dropped');
            return;
          }
        }
        if (item.attempts >= this.#o.maxAttempts) {
          logger?.warn({ err, account: owner.account, attempts: item.attempts }, 'push failed repeatedly; answer kept for the keyword');
          return keep(next);
        }
        return { retryInMs: Math.min(30_000, 1000 * 2 ** (item.attempts - 1)) };
      }
      if (last) return keep(next);
      await store.set(progressKey, String(next + 1), { ttlMs, owner });
    }
  }
}
