import { randomUUID } from 'node:crypto';
import { counterStep, counterValue, expiryFrom, nonNegativeMs, notACounter, positiveMs } from './arguments.js';
import { StoreError } from './errors.js';
import { QueueSchedule } from './queue-schedule.js';
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
  group: string | undefined;
  /** Bumped whenever availableAt changes, so the schedule can tell stale slots. */
  version: number;
}

/** One queue: its items by id, the order they become leasable in, and its groups in enqueue order. */
interface MemoryQueue {
  items: Map<string, QueueEntry>;
  schedule: QueueSchedule;
  /** Only the first item of a group is in the schedule; the others wait for it to go. */
  groups: Map<string, QueueEntry[]>;
}

interface Lock {
  token: string;
  expiresAt: number;
}

const DRIVER = 'memory';

/**
 * The in-process store: for tests and single-process use. Nothing survives the process.
 * Expired keys are dropped when touched and by a periodic sweep; each queue keeps its lease order in a heap,
 * so leasing stays cheap however many items wait for a later time.
 */
export class MemoryStore implements Store {
  readonly driver = DRIVER;
  private readonly now: () => number;
  private readonly kv = new Map<string, Entry>();
  private readonly queues = new Map<string, MemoryQueue>();
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
    this.kv.set(key, { value: ownString(value), expiresAt, owner: copyOwner(options.owner) });
  }

  async claim(key: string, value: string, options: SetOptions = {}): Promise<boolean> {
    const expiresAt = expiryFrom(DRIVER, `claim "${key}": ttlMs`, this.now(), options.ttlMs);
    if (this.live(key)) return false;
    this.kv.set(key, { value: ownString(value), expiresAt, owner: copyOwner(options.owner) });
    return true;
  }

  async compareAndSet(key: string, expected: string, next: string, options: { ttlMs?: number } = {}): Promise<boolean> {
    const expiresAt = expiryFrom(DRIVER, `compareAndSet "${key}": ttlMs`, this.now(), options.ttlMs);
    const entry = this.live(key);
    if (!entry || entry.value !== expected) return false;
    entry.value = ownString(next);
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
    let q = this.queues.get(queue);
    if (!q) {
      q = { items: new Map(), schedule: new QueueSchedule(), groups: new Map() };
      this.queues.set(queue, q);
    }
    if (q.items.has(item.id)) return;
    const entry: QueueEntry = {
      id: item.id,
      payload: ownString(item.payload),
      availableAt: item.availableAt ?? this.now(),
      seq: this.seq++,
      leaseToken: undefined,
      attempts: 0,
      owner: copyOwner(item.owner),
      group: item.group,
      version: 0,
    };
    q.items.set(item.id, entry);
    if (entry.group !== undefined) {
      const members = q.groups.get(entry.group);
      if (members) {
        members.push(entry); // scheduled when the items before it are gone
        return;
      }
      q.groups.set(entry.group, [entry]);
    }
    q.schedule.schedule(item.id, entry);
  }

  async lease(queue: string, leaseMs: number): Promise<LeasedItem | undefined> {
    this.open();
    const ms = positiveMs(DRIVER, `lease "${queue}": leaseMs`, leaseMs);
    const now = this.now();
    const q = this.queues.get(queue);
    if (!q) return undefined;
    const id = q.schedule.next(now, (key) => q.items.get(key), q.items.size);
    const next = id === undefined ? undefined : q.items.get(id);
    if (!next) return undefined;
    // While leased, availableAt is the lease's end: a worker that dies leaves the item to come back then.
    next.availableAt = now + ms;
    next.version++;
    next.leaseToken = randomUUID();
    next.attempts += 1;
    q.schedule.schedule(next.id, next);
    return { id: next.id, payload: next.payload, attempts: next.attempts, leaseToken: next.leaseToken };
  }

  async ack(queue: string, id: string, leaseToken: string): Promise<boolean> {
    this.open();
    const q = this.queues.get(queue);
    const item = q?.items.get(id);
    if (!q || !item || item.leaseToken !== leaseToken) return false;
    removeItem(q, item);
    if (q.items.size === 0) this.queues.delete(queue);
    return true;
  }

  async retry(queue: string, id: string, leaseToken: string, delayMs: number): Promise<boolean> {
    this.open();
    const delay = nonNegativeMs(DRIVER, `retry "${queue}" item "${id}": delayMs`, delayMs);
    const q = this.queues.get(queue);
    const item = q?.items.get(id);
    if (!q || !item || item.leaseToken !== leaseToken) return false;
    item.availableAt = this.now() + delay;
    item.version++;
    item.leaseToken = undefined;
    q.schedule.schedule(id, item);
    return true;
  }

  async queueSize(queue: string, group?: string): Promise<number> {
    this.open();
    const q = this.queues.get(queue);
    if (group !== undefined) return q?.groups.get(group)?.length ?? 0;
    return q?.items.size ?? 0;
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
    for (const [queue, q] of this.queues) {
      for (const item of q.items.values()) {
        if (item.owner && matches(item.owner)) {
          removeItem(q, item);
          removed++;
        }
      }
      if (q.items.size === 0) this.queues.delete(queue);
    }
    return removed;
  }

  private open(): void {
    if (this.closed) throw new StoreError('STORE_CLOSED', DRIVER, 'used after close()');
  }
}

/** Drops an item (its schedule slots become stale); the next item of its group, if any, becomes leasable. */
function removeItem(q: MemoryQueue, item: QueueEntry): void {
  q.items.delete(item.id);
  if (item.group === undefined) return;
  const members = q.groups.get(item.group);
  if (!members) return;
  const at = members.indexOf(item);
  if (at >= 0) members.splice(at, 1);
  const head = members[0];
  if (!head) q.groups.delete(item.group);
  else if (at === 0) q.schedule.schedule(head.id, head);
}

function copyOwner(owner: Owner | undefined): Owner | undefined {
  return owner ? { account: ownString(owner.account), openid: ownString(owner.openid) } : undefined;
}

/**
 * A copy of `text` that holds on to nothing else. V8 may represent a string as a slice or a concatenation of
 * others (an openid cut out of a decrypted XML document, a value built with a template), and keeping it would
 * keep the whole document alive for the record's TTL. Concatenating then slicing gives a string over a fresh copy
 * of just these characters.
 */
function ownString(text: string): string {
  return (' ' + text).slice(1);
}
