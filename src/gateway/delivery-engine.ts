import type { Logger } from 'pino';
import type { Owner, Store } from '../store/store.js';
import { decodeJob, encodeJob, jobKeys, type JobRecord } from './job.js';
import type { OutMessage } from './out-message.js';

/** Store queue names used by the engine and its workers. */
export const QUEUES = {
  /** Followers with messages waiting; a lease is the right to drain that follower's inbox. */
  ready: 'ready',
  /** Answers (or their rest) to push by 客服. */
  outbox: 'outbox',
  inbox: (owner: Owner): string => `inbox:${owner.account}:${owner.openid}`,
  pending: (owner: Owner): string => `pending:${owner.account}:${owner.openid}`,
} as const;

export interface DeliveryTiming {
  /** WeChat's per-delivery window (5000 ms in production; tests shrink it). */
  timeoutMs: number;
  /** Deliveries WeChat makes of one message (3 by default). */
  attempts: number;
  /** How long before a delivery's deadline mpgate stops waiting, so the reply is surely in time. */
  safetyMarginMs: number;
  /** How long a job and its pending answer are kept. */
  pendingTtlMs: number;
  /** How often a waiting delivery re-reads the store when the worker may be another process. */
  pollMs: number;
  /** Delay between a passive reply and the push of the rest of a long answer, so they arrive in order. */
  restDelayMs: number;
}

/** One HTTP delivery of a follower message, after verification and parsing. */
export interface DeliveryRequest {
  owner: Owner;
  messageKey: string;
  /** When this delivery arrived (epoch ms); its deadline counts from here. */
  receivedAt: number;
  /** The job's input, stored in the follower's inbox when this delivery is the first. */
  payload: string;
  /** Aborted when WeChat closes the connection: stop waiting, someone else will deliver. */
  signal?: AbortSignal | undefined;
}

/** What the webhook should do with one delivery. */
export type DeliveryDecision =
  | { kind: 'reply'; message: OutMessage; delivery: number }
  /** Reply `success`: nothing to say, or the answer already went out another way. */
  | { kind: 'success'; delivery: number }
  /** The final delivery gave up waiting: reply with the waiting text; the answer will be pushed or kept. */
  | { kind: 'late'; delivery: number }
  /** A non-final delivery with no answer yet: send nothing, WeChat retries. */
  | { kind: 'no-reply'; delivery: number };

export interface DeliveryEngineOptions {
  store: Store;
  timing: DeliveryTiming;
  now?: () => number;
  logger?: Logger | undefined;
  /** Called after a message was queued for the AI, to start a local worker at once. */
  onQueued?: () => void;
  /** Called after a push was scheduled. */
  onPushScheduled?: () => void;
}

/** Payload of an outbox item. */
export interface PushOrder {
  owner: Owner;
  messageKey: string;
}

/**
 * Coordinates the deliveries of a message with the worker computing its answer, through compare-and-set on
 * the job record (docs/delivery-engine.md). Safe with any number of processes sharing the store.
 */
export class DeliveryEngine {
  readonly #store: Store;
  readonly #t: DeliveryTiming;
  readonly #now: () => number;
  readonly #log: Logger | undefined;
  readonly #onQueued: () => void;
  readonly #onPushScheduled: () => void;
  /** Deliveries of this process waiting on a job, woken when a local worker completes it. */
  readonly #waiters = new Map<string, Set<() => void>>();

  constructor(options: DeliveryEngineOptions) {
    this.#store = options.store;
    this.#t = options.timing;
    this.#now = options.now ?? Date.now;
    this.#log = options.logger;
    this.#onQueued = options.onQueued ?? (() => undefined);
    this.#onPushScheduled = options.onPushScheduled ?? (() => undefined);
  }

  get timing(): DeliveryTiming {
    return this.#t;
  }

  /** Handles one delivery of a message: claims or attaches to its job and waits for the answer within the window. */
  async deliver(req: DeliveryRequest): Promise<DeliveryDecision> {
    const keys = jobKeys(req.owner.account, req.messageKey);
    const ttlMs = this.#t.pendingTtlMs;
    const first = await this.#store.claim(keys.job, encodeJob({ state: 'queued', firstAt: req.receivedAt }), {
      ttlMs,
      owner: req.owner,
    });
    const delivery = await this.#store.increment(keys.deliveries, { ttlMs, owner: req.owner });
    if (first) {
      await this.#store.enqueue(QUEUES.inbox(req.owner), { id: req.messageKey, payload: req.payload, owner: req.owner });
      await this.#store.enqueue(QUEUES.ready, { id: `${req.owner.account}:${req.owner.openid}`, payload: JSON.stringify(req.owner), owner: req.owner });
      this.#onQueued();
    }
    const deadline = req.receivedAt + this.#t.timeoutMs - this.#t.safetyMarginMs;

    for (;;) {
      const raw = await this.#store.get(keys.job);
      if (raw === undefined) return { kind: 'success', delivery }; // purged or expired
      const job = decodeJob(raw);
      const final = delivery >= this.#t.attempts || this.#now() - job.firstAt >= (this.#t.attempts - 1) * this.#t.timeoutMs;
      switch (job.state) {
        case 'answered': {
          const taken: JobRecord = { ...job, state: 'delivered' };
          if (!(await this.#store.compareAndSet(keys.job, raw, encodeJob(taken), { ttlMs }))) continue;
          const [head, ...rest] = job.answer ?? [];
          if (rest.length > 0) await this.#schedulePush(req.owner, req.messageKey, 'rest', this.#now() + this.#t.restDelayMs);
          return head ? { kind: 'reply', message: head, delivery } : { kind: 'success', delivery };
        }
        case 'delivered':
        case 'handed':
        case 'late':
          return { kind: 'success', delivery };
        case 'queued': {
          if (this.#now() >= deadline || req.signal?.aborted) {
            if (!final || req.signal?.aborted) return { kind: 'no-reply', delivery };
            const late: JobRecord = { ...job, state: 'late' };
            if (!(await this.#store.compareAndSet(keys.job, raw, encodeJob(late), { ttlMs }))) continue;
            return { kind: 'late', delivery };
          }
          await this.#wait(keys.job, Math.min(deadline, this.#now() + this.#t.pollMs), req.signal);
          continue;
        }
      }
    }
  }

  /** Stores a finished answer and hands it to the delivery that is waiting, or to the push path. */
  async complete(owner: Owner, messageKey: string, answer: OutMessage[]): Promise<void> {
    const keys = jobKeys(owner.account, messageKey);
    const ttlMs = this.#t.pendingTtlMs;
    for (;;) {
      const raw = await this.#store.get(keys.job);
      if (raw === undefined) {
        this.#log?.info({ account: owner.account, messageKey }, 'job gone before its answer (purged or expired)');
        return;
      }
      const job = decodeJob(raw);
      if (job.state === 'queued') {
        if (!(await this.#store.compareAndSet(keys.job, raw, encodeJob({ ...job, state: 'answered', answer }), { ttlMs }))) continue;
        this.#wake(keys.job);
        // If no delivery comes to take it before WeChat stops retrying, push it.
        const windowEnd = job.firstAt + this.#t.attempts * this.#t.timeoutMs + this.#t.restDelayMs;
        if (answer.length > 0) await this.#schedulePush(owner, messageKey, 'window', windowEnd);
        return;
      }
      if (job.state === 'late') {
        if (!(await this.#store.compareAndSet(keys.job, raw, encodeJob({ ...job, state: 'handed', answer }), { ttlMs }))) continue;
        if (answer.length > 0) await this.#schedulePush(owner, messageKey, 'late', this.#now());
        return;
      }
      this.#log?.warn({ account: owner.account, messageKey, state: job.state }, 'answer completed twice; ignored');
      return;
    }
  }

  async #schedulePush(owner: Owner, messageKey: string, reason: 'rest' | 'window' | 'late', at: number): Promise<void> {
    const order: PushOrder = { owner, messageKey };
    await this.#store.enqueue(QUEUES.outbox, {
      id: `${owner.account}:${messageKey}:${reason}`,
      payload: JSON.stringify(order),
      availableAt: at,
      owner,
    });
    this.#onPushScheduled();
  }

  #wait(jobKey: string, until: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      let set = this.#waiters.get(jobKey);
      if (!set) this.#waiters.set(jobKey, (set = new Set()));
      const waiters = set;
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        waiters.delete(done);
        if (waiters.size === 0) this.#waiters.delete(jobKey);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, until - this.#now()));
      signal?.addEventListener('abort', done, { once: true });
      waiters.add(done);
    });
  }

  #wake(jobKey: string): void {
    const set = this.#waiters.get(jobKey);
    if (set) for (const done of [...set]) done();
  }
}
