import type { Logger } from 'pino';
import type { Owner, Store } from '../store/store.js';
import { enqueueMessage } from './inbox-queue.js';
import { QUEUES } from './queues.js';
import { decodeJob, encodeJob, jobKeys, type JobRecord } from './job.js';
import type { OutMessage } from './out-message.js';

export interface DeliveryTiming {
  /** WeChat's per-delivery window (5000 ms in production; tests shrink it). */
  timeoutMs: number;
  /** Deliveries WeChat makes of one message (3 by default). */
  attempts: number;
  /** How long before a delivery's deadline mpgate stops waiting, so the reply is surely in time. */
  safetyMarginMs: number;
  /** How long a job and its pending answer are kept. */
  pendingTtlMs: number;
  /**
   * How long a job whose answer went out passively is kept: only to recognise WeChat's re-deliveries of the
   * message. Requests older than the replay window are refused as stale, so that window (twice, like the nonces)
   * is enough; nothing about the follower stays for the whole `pendingTtlMs`.
   */
  settledTtlMs: number;
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
  /**
   * Aborted when WeChat closes the connection: stop waiting, someone else will deliver. Read at every wake-up
   * (at least every `pollMs`), so any `{ aborted }` will do; an AbortSignal works as is.
   */
  signal?: HangupSignal | undefined;
}

/** Tells whether the client of a delivery has gone away. */
export interface HangupSignal {
  readonly aborted: boolean;
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
  readonly #waiters = new Map<string, Set<Waiter>>();

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
    const created = encodeJob({ state: 'queued', firstAt: req.receivedAt });
    const first = await this.#store.claim(keys.job, created, { ttlMs, owner: req.owner });
    // The first delivery is number 1 by its claim; later ones count themselves (saves a write per message).
    const delivery = first ? 1 : 1 + (await this.#store.increment(keys.deliveries, { ttlMs, owner: req.owner }));
    const deadline = req.receivedAt + this.#t.timeoutMs - this.#t.safetyMarginMs;
    if (first) {
      // Wait from before the message is queued, so a local worker can hand the answer over however fast it is.
      const answered = this.#wait(keys.job, deadline, req.signal);
      const queued = enqueueMessage(this.#store, req.owner, req.messageKey, req.payload);
      // Kicked in the same turn: on SQLite the worker's lease joins the enqueue's transaction (one commit for both)
      // and still sees the message only once it is durable.
      this.#onQueued();
      try {
        await queued;
      } catch (err) {
        // Not queued, so nobody would ever answer this job: drop the claim, and WeChat's retry starts afresh.
        answered.cancel();
        await this.#store.compareAndDelete(keys.job, created).catch(() => false);
        throw err;
      }
      const handed = await answered.done;
      if (handed) return handedOver(handed, delivery);
    }

    for (;;) {
      const raw = await this.#store.get(keys.job);
      if (raw === undefined) return { kind: 'success', delivery }; // purged or expired
      const job = decodeJob(raw);
      const final = delivery >= this.#t.attempts || this.#now() - job.firstAt >= (this.#t.attempts - 1) * this.#t.timeoutMs;
      switch (job.state) {
        case 'answered': {
          const taken: JobRecord = { state: 'delivered', firstAt: job.firstAt, answer: job.answer };
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
            const late: JobRecord = { state: 'late', firstAt: job.firstAt };
            if (!(await this.#store.compareAndSet(keys.job, raw, encodeJob(late), { ttlMs }))) continue;
            return { kind: 'late', delivery };
          }
          const handed = await this.#wait(keys.job, deadline, req.signal).done;
          if (handed) return handedOver(handed, delivery);
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
        // Fast path: a delivery of this process is waiting and the answer fits in one reply. It takes the answer
        // from memory, so the job goes straight to `delivered` and needs no order for the end of the window.
        const waiter = answer.length <= 1 ? this.#takeWaiter(keys.job) : undefined;
        if (waiter) {
          const settled = encodeJob({ state: 'delivered', firstAt: job.firstAt });
          if (await this.#store.compareAndSet(keys.job, raw, settled, { ttlMs: this.#t.settledTtlMs })) {
            waiter.resolve(answer);
            return;
          }
          waiter.resolve(undefined); // the job moved on (another process marked it late): it re-reads the store
          continue;
        }
        if (!(await this.#store.compareAndSet(keys.job, raw, encodeJob({ state: 'answered', firstAt: job.firstAt, answer }), { ttlMs }))) continue;
        this.#wake(keys.job);
        // If no delivery comes to take it before WeChat stops retrying, push it.
        const windowEnd = job.firstAt + this.#t.attempts * this.#t.timeoutMs + this.#t.restDelayMs;
        if (answer.length > 0) await this.#schedulePush(owner, messageKey, 'window', windowEnd);
        return;
      }
      if (job.state === 'late') {
        if (!(await this.#store.compareAndSet(keys.job, raw, encodeJob({ state: 'handed', firstAt: job.firstAt, answer }), { ttlMs }))) continue;
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

  /**
   * Waits until the job may have changed (a local worker completed it), the next poll, the delivery's deadline,
   * or WeChat hanging up; `done` resolves with the answer when a local worker handed it over directly. `cancel`
   * withdraws a wait nothing has ended yet (`done` then never settles).
   */
  #wait(jobKey: string, deadline: number, signal: HangupSignal | undefined): { done: Promise<OutMessage[] | undefined>; cancel(): void } {
    let set = this.#waiters.get(jobKey);
    if (!set) this.#waiters.set(jobKey, (set = new Set()));
    const waiters = set;
    let waiter!: Waiter;
    const done = new Promise<OutMessage[] | undefined>((resolve) => {
      const stop = (): void => {
        clearTimeout(timer);
        waiters.delete(waiter);
        if (waiters.size === 0 && this.#waiters.get(jobKey) === waiters) this.#waiters.delete(jobKey);
      };
      waiter = { deadline, signal, stop, resolve };
      // A hang-up is noticed at the next wake-up: at most pollMs later, with no listener to add and remove.
      const timer = setTimeout(() => {
        stop();
        resolve(undefined);
      }, Math.max(0, Math.min(deadline, this.#now() + this.#t.pollMs) - this.#now()));
      waiters.add(waiter);
    });
    return { done, cancel: () => waiter.stop() };
  }

  /** Wakes every local delivery waiting on a job, to re-read it. */
  #wake(jobKey: string): void {
    const set = this.#waiters.get(jobKey);
    if (!set) return;
    for (const waiter of [...set]) {
      waiter.stop();
      waiter.resolve(undefined);
    }
  }

  /**
   * Takes a local delivery that can still reply in time out of the waiting set and disarms its timer, so that
   * nothing else ends its wait while the answer is being recorded; the caller must resolve it.
   */
  #takeWaiter(jobKey: string): Waiter | undefined {
    const set = this.#waiters.get(jobKey);
    if (!set) return undefined;
    const now = this.#now();
    // The delivery with the most time left: should two overlap, the newer one is the one WeChat still listens to.
    let chosen: Waiter | undefined;
    for (const waiter of set) {
      if (waiter.deadline <= now || waiter.signal?.aborted) continue;
      if (!chosen || waiter.deadline > chosen.deadline) chosen = waiter;
    }
    chosen?.stop();
    return chosen;
  }
}

/** The decision for an answer a local worker handed over: its first part, or `success` for an empty answer. */
function handedOver(answer: OutMessage[], delivery: number): DeliveryDecision {
  const [head] = answer;
  return head ? { kind: 'reply', message: head, delivery } : { kind: 'success', delivery };
}

/** A delivery of this process waiting on its job. */
interface Waiter {
  deadline: number;
  signal: HangupSignal | undefined;
  /** Disarms the wait (its timer) and leaves the waiting set, without ending it. */
  stop(): void;
  /** Ends the wait: with the answer handed over, or undefined to re-read the job from the store. */
  resolve(answer: OutMessage[] | undefined): void;
}
