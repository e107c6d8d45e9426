import { randomUUID } from 'node:crypto';
import { counterStep, counterValue, expiryFrom, nonNegativeMs, notACounter, positiveMs } from './arguments.js';
import { StoreError } from './errors.js';
import type { LeasedItem, Owner, QueueItem, SetOptions, Store } from './store.js';

export interface MemoryStoreOptions {
  /** Clock in epoch ms; tests pass a manual clock to move time without sleeping. Default `Date.now`. */
  now?: () => number;
  /** How often expired keys and locks are dropped from memory. Default 60 000 ms; 0 disables the sweep. */
  sweepIntervalMs?: number;
}

interface Entry {
  value: string;
  /** Epoch ms; null = never. The entry is absent from `expiresAt <= now` on. */
  expiresAt: number | null;
  owner: Owner | undefined;
}

interface QueueEntry {
  id: string;
  payload: string;
  /** Leasable from this time on; while leased it holds the lease's expiry, so a dead worker's item comes back. */
  availableAt: number;
  /** Enqueue order, to break ties between equal `availableAt`. */
  seq: number;
  leaseToken: string | undefined;
  attempts: number;
  owner: Owner | undefined;
}

interface Lock {
  token: string;
  expiresAt: number;
}

const DRIVER = 'memory';

/**
 * The in-process store: for tests and single-process use. Nothing survives the process.
 * Expired keys are dropped when touched and by a periodic sweep; leasing scans its queue, which suits
 * the small queues of one process.
 */
export class MemoryStore implements Store {
  readonly driver = DRIVER;
  private readonly now: () => number;
  private readonly kv = new Map<string, Entry>();
  private readonly queues = new Map<string, Map<string, QueueEntry>>();
  private readonly locks = new Map<string, Lock>();
  private readonly sweepTimer: NodeJS.Timeout | undefined;
  private seq = 0;
  private closed = false;

  constructor(options: MemoryStoreOptions = {}) {
    this.now = options.now ?? Date.now;
    const interval = options.sweepIntervalMs ?? 60_000;
    if (interval > 0) {
      this.sweepTimer = setInterval(() => this.sweep(), interval);
      this.sweepTimer.unref();
    }
  }

  async get(key: string): Promise<string | undefined> {
    return this.live(key)?.value;
  }

  async set(key: string, value: string, options: SetOptions = {}): Promise<void> {
    this.open();
    const expiresAt = expiryFrom(DRIVER, `set "${key}": ttlMs`, this.now(), options.ttlMs);
    this.kv.set(key, { value, expiresAt, owner: copyOwner(options.owner) });
  }

  async claim(key: string, value: string, options: SetOptions = {}): Promise<boolean> {
    const expiresAt = expiryFrom(DRIVER, `claim "${key}": ttlMs`, this.now(), options.ttlMs);
    if (this.live(key)) return false;
    this.kv.set(key, { value, expiresAt, owner: copyOwner(options.owner) });
    return true;
  }

  async compareAndSet(key: string, expected: string, next: string, options: { ttlMs?: number } = {}): Promise<boolean> {
    const expiresAt = expiryFrom(DRIVER, `compareAndSet "${key}": ttlMs`, this.now(), options.ttlMs);
    const entry = this.live(key);
    if (!entry || entry.value !== expected) return false;
    entry.value = next;
    if (expiresAt !== null) entry.expiresAt = expiresAt;
    return true;
  }

  async compareAndDelete(key: string, expected: string): Promise<boolean> {
    const entry = this.live(key);
    if (!entry || entry.value !== expected) return false;
    this.kv.delete(key);
    return true;
  }

  async delete(key: string): Promise<boolean> {
    const existed = this.live(key) !== undefined;
    this.kv.delete(key);
    return existed;
  }

  async increment(key: string, options: { by?: number; ttlMs?: number; owner?: Owner } = {}): Promise<number> {
    const by = counterStep(DRIVER, key, options.by ?? 1);
    const expiresAt = expiryFrom(DRIVER, `increment "${key}": ttlMs`, this.now(), options.ttlMs);
    const entry = this.live(key);
    if (!entry) {
      this.kv.set(key, { value: String(by), expiresAt, owner: copyOwner(options.owner) });
      return by;
    }
    const current = counterValue(entry.value);
    const next = current === undefined ? undefined : current + by;
    if (next === undefined || !Number.isSafeInteger(next)) throw notACounter(DRIVER, key);
    entry.value = String(next);
    return next;
  }

  async enqueue(queue: string, item: QueueItem): Promise<void> {
    this.open();
    let items = this.queues.get(queue);
    if (!items) {
      items = new Map();
      this.queues.set(queue, items);
    }
    if (items.has(item.id)) return;
    items.set(item.id, {
      id: item.id,
      payload: item.payload,
      availableAt: item.availableAt ?? this.now(),
      seq: this.seq++,
      leaseToken: undefined,
      attempts: 0,
      owner: copyOwner(item.owner),
    });
  }

  async lease(queue: string, leaseMs: number): Promise<LeasedItem | undefined> {
    this.open();
    const ms = positiveMs(DRIVER, `lease "${queue}": leaseMs`, leaseMs);
    const now = this.now();
    let next: QueueEntry | undefined;
    for (const item of this.queues.get(queue)?.values() ?? []) {
      if (item.availableAt > now) continue;
      if (!next || item.availableAt < next.availableAt || (item.availableAt === next.availableAt && item.seq < next.seq)) {
        next = item;
      }
    }
    if (!next) return undefined;
    next.availableAt = now + ms;
    next.leaseToken = randomUUID();
    next.attempts += 1;
    return { id: next.id, payload: next.payload, attempts: next.attempts, leaseToken: next.leaseToken };
  }

  async ack(queue: string, id: string, leaseToken: string): Promise<boolean> {
    this.open();
    const items = this.queues.get(queue);
    if (items?.get(id)?.leaseToken !== leaseToken) return false;
    items.delete(id);
    if (items.size === 0) this.queues.delete(queue);
    return true;
  }

  async retry(queue: string, id: string, leaseToken: string, delayMs: number): Promise<boolean> {
    this.open();
    const delay = nonNegativeMs(DRIVER, `retry "${queue}" item "${id}": delayMs`, delayMs);
    const item = this.queues.get(queue)?.get(id);
    if (!item || item.leaseToken !== leaseToken) return false;
    item.availableAt = this.now() + delay;
    item.leaseToken = undefined;
    return true;
  }

  async queueSize(queue: string): Promise<number> {
    this.open();
    return this.queues.get(queue)?.size ?? 0;
  }

  async acquireLock(name: string, ttlMs: number): Promise<string | undefined> {
    this.open();
    const now = this.now();
    const ms = positiveMs(DRIVER, `lock "${name}": ttlMs`, ttlMs);
    const held = this.locks.get(name);
    if (held && held.expiresAt > now) return undefined;
    const token = randomUUID();
    this.locks.set(name, { token, expiresAt: now + ms });
    return token;
  }

  async releaseLock(name: string, token: string): Promise<boolean> {
    this.open();
    const held = this.locks.get(name);
    if (!held || held.token !== token) return false;
    this.locks.delete(name);
    return held.expiresAt > this.now();
  }

  async purgeOwner(owner: Owner): Promise<number> {
    this.open();
    return this.purge((o) => o.account === owner.account && o.openid === owner.openid);
  }

  async purgeAccount(account: string): Promise<number> {
    this.open();
    return this.purge((o) => o.account === account);
  }

  async ping(): Promise<boolean> {
    return !this.closed;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.sweepTimer);
    this.kv.clear();
    this.queues.clear();
    this.locks.clear();
  }

  /** Drop expired keys and locks now; returns how many were dropped. Runs on a timer too. */
  sweep(): number {
    const now = this.now();
    let dropped = 0;
    for (const [key, entry] of this.kv) {
      if (entry.expiresAt !== null && entry.expiresAt <= now) {
        this.kv.delete(key);
        dropped++;
      }
    }
    for (const [name, lock] of this.locks) {
      if (lock.expiresAt <= now) {
        this.locks.delete(name);
        dropped++;
      }
    }
    return dropped;
  }

  /** The entry of `key` unless absent or expired (an expired entry is dropped on the way). */
  private live(key: string): Entry | undefined {
    this.open();
    const entry = this.kv.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt !== null && entry.expiresAt <= this.now()) {
      this.kv.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Remove live records and queue items whose owner matches; expired records go too but are not counted. */
  private purge(matches: (owner: Owner) => boolean): number {
    const now = this.now();
    let removed = 0;
    for (const [key, entry] of this.kv) {
      if (entry.owner && matches(entry.owner)) {
        this.kv.delete(key);
        if (entry.expiresAt === null || entry.expiresAt > now) removed++;
      }
    }
    for (const [queue, items] of this.queues) {
      for (const [id, item] of items) {
        if (item.owner && matches(item.owner)) {
          items.delete(id);
          removed++;
        }
      }
      if (items.size === 0) this.queues.delete(queue);
    }
    return removed;
  }

  private open(): void {
    if (this.closed) throw new StoreError('STORE_CLOSED', DRIVER, 'used after close()');
  }
}

function copyOwner(owner: Owner | undefined): Owner | undefined {
  return owner ? { account: owner.account, openid: owner.openid } : undefined;
}
