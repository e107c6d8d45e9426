/**
 * The storage contract every driver (memory, sqlite, redis) implements. Every operation is atomic on its
 * own, so two processes sharing one store never both win a claim, a lease or a lock.
 * Keys are opaque strings; callers namespace them (`job:…`, `token:…`).
 */

/** Who a record is about, so that everything stored about a follower can be purged. */
export interface Owner {
  account: string;
  openid: string;
}

export interface SetOptions {
  /** Time to live in milliseconds; absent = no expiry. */
  ttlMs?: number;
  /** Tag the record with the follower it concerns (for `purgeOwner`). */
  owner?: Owner;
}

export interface QueueItem {
  /** Caller-chosen id, unique within the queue; enqueueing an existing id is a no-op. */
  id: string;
  payload: string;
  /** Not leased before this time (epoch ms). Defaults to now. */
  availableAt?: number;
  owner?: Owner;
  /**
   * Items of one group are leased one at a time, in enqueue order: only the oldest item of a group is leasable,
   * and not while it is leased (a retried item keeps its place). Per-follower order without a second queue.
   */
  group?: string;
}

export interface LeasedItem {
  id: string;
  payload: string;
  /** How many times this item has been leased, this lease included. */
  attempts: number;
  /** Proof of the lease: ack/retry with a stale token do nothing. */
  leaseToken: string;
}

export interface Store {
  /** Driver name, for logs and /readyz. */
  readonly driver: string;
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, options?: SetOptions): Promise<void>;
  /** Set-if-absent: true when this call created the key. */
  claim(key: string, value: string, options?: SetOptions): Promise<boolean>;
  /** Replace the value only while it still equals `expected`; keeps the owner, resets the TTL when given. */
  compareAndSet(key: string, expected: string, next: string, options?: { ttlMs?: number }): Promise<boolean>;
  /** Delete only while the value still equals `expected`. */
  compareAndDelete(key: string, expected: string): Promise<boolean>;
  /** True when something was deleted. */
  delete(key: string): Promise<boolean>;
  /** Add `by` (default 1) and return the new value; the TTL is set when the counter is created. */
  increment(key: string, options?: { by?: number; ttlMs?: number; owner?: Owner }): Promise<number>;

  /** Durable queue: add an item (idempotent on id). */
  enqueue(queue: string, item: QueueItem): Promise<void>;
  /** Lease the next available item for `leaseMs`; an unacknowledged item becomes available again after it. */
  lease(queue: string, leaseMs: number): Promise<LeasedItem | undefined>;
  /** Remove a leased item for good. False when the lease was lost. */
  ack(queue: string, id: string, leaseToken: string): Promise<boolean>;
  /** Give a leased item back, available again after `delayMs`. False when the lease was lost. */
  retry(queue: string, id: string, leaseToken: string, delayMs: number): Promise<boolean>;
  /** Items in the queue (of one group when given), leased or not. */
  queueSize(queue: string, group?: string): Promise<number>;

  /** Try to take a named lock for `ttlMs`; returns the holder token, or undefined when held by someone else. */
  acquireLock(name: string, ttlMs: number): Promise<string | undefined>;
  /** Release a lock only if `token` still holds it. */
  releaseLock(name: string, token: string): Promise<boolean>;

  /** Delete every record and queue item tagged with this owner; returns how many were removed. */
  purgeOwner(owner: Owner): Promise<number>;
  /** Delete every record of an account (all followers). */
  purgeAccount(account: string): Promise<number>;
  /** True when the store answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
