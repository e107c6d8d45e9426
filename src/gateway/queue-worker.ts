import type { Logger } from 'pino';
import type { LeasedItem, Store } from '../store/store.js';

export interface QueueWorkerOptions {
  store: Store;
  queue: string;
  /** How long a leased item stays invisible to other workers; must outlast the handler. */
  leaseMs: number;
  /** Items handled at once by this process. */
  concurrency: number;
  /** How often an idle worker looks for work that another process (or a crash) left behind. */
  pollMs: number;
  /** Handles one item. Resolve to ack it; return `{ retryInMs }` to put it back for later. */
  handle: (item: LeasedItem) => Promise<void | { retryInMs: number }>;
  logger?: Logger | undefined;
}

/**
 * Leases items from one durable store queue and hands them to a handler, `concurrency` at a time. Local
 * producers call `kick()` so work starts at once; polling picks up what other processes or crashed workers
 * left behind (their leases expire and the items reappear).
 */
export class QueueWorker {
  readonly #o: QueueWorkerOptions;
  #running = 0;
  #stopped = true;
  #timer: NodeJS.Timeout | undefined;
  #pumping = false;
  #again = false;
  readonly #idle = new Set<() => void>();

  constructor(options: QueueWorkerOptions) {
    this.#o = options;
  }

  /** Starts leasing. */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#schedule();
    this.kick();
  }

  /** Signals that new work may be there. */
  kick(): void {
    if (this.#stopped) return;
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    void this.#pump();
  }

  /** Stops leasing and waits for the items in hand to finish. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    if (this.#running === 0) return;
    await new Promise<void>((resolve) => this.#idle.add(resolve));
  }

  #schedule(): void {
    this.#timer = setInterval(() => this.kick(), this.#o.pollMs);
    this.#timer.unref();
  }

  async #pump(): Promise<void> {
    this.#pumping = true;
    try {
      do {
        this.#again = false;
        while (!this.#stopped && this.#running < this.#o.concurrency) {
          const item = await this.#o.store.lease(this.#o.queue, this.#o.leaseMs);
          if (!item) break;
          this.#running++;
          void this.#run(item);
        }
      } while (this.#again && !this.#stopped);
    } catch (err) {
      this.#o.logger?.error({ err, queue: this.#o.queue }, 'queue lease failed');
    } finally {
      this.#pumping = false;
    }
  }

  async #run(item: LeasedItem): Promise<void> {
    const { store, queue, logger } = this.#o;
    try {
      const result = await this.#o.handle(item);
      if (result && 'retryInMs' in result) await store.retry(queue, item.id, item.leaseToken, result.retryInMs);
      else await store.ack(queue, item.id, item.leaseToken);
    } catch (err) {
      // A handler that throws is a bug or an outage: back off and let the item come round again.
      logger?.error({ err, queue, item: item.id, attempts: item.attempts }, 'queue item failed');
      const delay = Math.min(60_000, 500 * 2 ** Math.min(item.attempts, 7));
      await store.retry(queue, item.id, item.leaseToken, delay).catch(() => undefined);
    } finally {
      this.#running--;
      if (this.#running === 0) {
        for (const resolve of this.#idle) resolve();
        this.#idle.clear();
      }
      this.kick();
    }
  }
}
