import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from 'pino';
import { counterStep, counterValue, nonNegativeMs, notACounter, positiveMs } from './arguments.js';
import { StoreError } from './errors.js';
import { SqliteGroupCommit } from './sqlite-group-commit.js';
import { MIGRATIONS, SCHEMA_VERSION } from './sqlite-schema.js';
import { ownerColumns, prepareStatements } from './sqlite-statements.js';
import type { LeasedItem, Owner, QueueItem, SetOptions, Store } from './store.js';

export interface SqliteStoreOptions {
  /** Database file; parent directories are created. `:memory:` gives a private, non-durable database. */
  path: string;
  /** Clock in epoch ms; tests pass a manual clock to move time without sleeping. Default `Date.now`. */
  now?: () => number;
  /** How long an operation waits for another process's write to finish before failing. Default 5000 ms. */
  busyTimeoutMs?: number;
  /** How often expired rows are deleted. Default 60 000 ms; 0 disables the sweep. */
  sweepIntervalMs?: number;
  /** Where sweep failures are reported. Default: silent. */
  logger?: Logger;
}

const DRIVER = 'sqlite';
/** Expired kv rows deleted per statement, so one sweep never holds the write lock for long. */
const SWEEP_BATCH = 500;

/**
 * The embedded store: one SQLite file in WAL mode that several processes on one host may share.
 * Every write is one statement or one savepoint inside a `BEGIN IMMEDIATE` transaction, so it is atomic across
 * processes; writes issued in one event-loop turn share that transaction (group commit, see sqlite-group-commit.ts)
 * and resolve once it has committed. Reads run at once, outside it: they see every write that has resolved.
 * Commits use `synchronous = NORMAL`: they survive a crash of the process (kill -9), not a power cut.
 */
export class SqliteStore implements Store {
  readonly driver = DRIVER;
  readonly path: string;
  private readonly db: Database.Database;
  private readonly now: () => number;
  private readonly logger: Logger | undefined;
  private readonly sweepTimer: NodeJS.Timeout | undefined;
  private readonly sql: ReturnType<typeof prepareStatements>;
  private readonly writes: SqliteGroupCommit;
  private closed = false;

  constructor(options: SqliteStoreOptions) {
    this.path = options.path;
    this.now = options.now ?? Date.now;
    this.logger = options.logger;
    const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    if (this.path !== ':memory:' && this.path !== '') mkdirSync(dirname(this.path), { recursive: true });
    try {
      this.db = new Database(this.path, { timeout: busyTimeoutMs });
    } catch (err) {
      throw new StoreError('STORE_FAILED', DRIVER, `cannot open ${this.path}: ${messageOf(err)}`, { cause: err });
    }
    try {
      retryWhileBusy(busyTimeoutMs, () => configure(this.db, this.path));
      this.sql = prepareStatements(this.db);
      this.writes = new SqliteGroupCommit(this.db);
    } catch (err) {
      this.db.close();
      if (err instanceof StoreError) throw err;
      throw new StoreError(codeOf(err), DRIVER, `cannot set up ${this.path}: ${messageOf(err)}`, { cause: err });
    }

    const interval = options.sweepIntervalMs ?? 60_000;
    if (interval > 0) {
      this.sweepTimer = setInterval(() => {
        try {
          this.sweep();
        } catch (err) {
          this.logger?.warn({ err, path: this.path }, 'store sweep failed; retrying at the next interval');
        }
      }, interval);
      this.sweepTimer.unref();
    }
  }

  async get(key: string): Promise<string | undefined> {
    return this.run('get', `"${key}"`, () => this.sql.kvGet.get({ key, now: this.now() }));
  }

  // Writes: arguments are checked at once (a bad one rejects before anything is queued); the clock is read when
  // the write executes, so TTLs and lease times count from the moment the write takes effect.

  async set(key: string, value: string, options: SetOptions = {}): Promise<void> {
    const ttl = ttlOf(`set "${key}": ttlMs`, options.ttlMs);
    await this.write('set', `"${key}"`, () => {
      this.sql.kvSet.run({ key, value, expiresAt: expiry(this.now(), ttl), ...ownerColumns(options.owner) });
    });
  }

  async claim(key: string, value: string, options: SetOptions = {}): Promise<boolean> {
    const ttl = ttlOf(`claim "${key}": ttlMs`, options.ttlMs);
    return this.write('claim', `"${key}"`, () => {
      const now = this.now();
      const expiresAt = expiry(now, ttl);
      return this.sql.kvClaim.run({ key, value, expiresAt, now, ...ownerColumns(options.owner) }).changes === 1;
    });
  }

  async compareAndSet(key: string, expected: string, next: string, options: { ttlMs?: number } = {}): Promise<boolean> {
    const ttl = ttlOf(`compareAndSet "${key}": ttlMs`, options.ttlMs);
    return this.write('compareAndSet', `"${key}"`, () => {
      const now = this.now();
      return this.sql.kvCompareAndSet.run({ key, expected, next, expiresAt: expiry(now, ttl), now }).changes === 1;
    });
  }

  async compareAndDelete(key: string, expected: string): Promise<boolean> {
    return this.write('compareAndDelete', `"${key}"`, () => {
      return this.sql.kvCompareAndDelete.run({ key, expected, now: this.now() }).changes === 1;
    });
  }

  async delete(key: string): Promise<boolean> {
    return this.write('delete', `"${key}"`, () => {
      const expiresAt = this.sql.kvDelete.get({ key });
      return expiresAt !== undefined && (expiresAt === null || expiresAt > this.now());
    });
  }

  async increment(key: string, options: { by?: number; ttlMs?: number; owner?: Owner } = {}): Promise<number> {
    const by = counterStep(DRIVER, key, options.by ?? 1);
    const ttl = ttlOf(`increment "${key}": ttlMs`, options.ttlMs);
    return this.write('increment', `"${key}"`, () => this.incrementRow(key, by, expiry(this.now(), ttl), options.owner));
  }

  async enqueue(queue: string, item: QueueItem): Promise<void> {
    await this.write('enqueue', `queue "${queue}" item "${item.id}"`, () => {
      const availableAt = item.availableAt ?? this.now();
      const group = item.group ?? null;
      this.sql.queueEnqueue.run({ queue, id: item.id, payload: item.payload, availableAt, group, ...ownerColumns(item.owner) });
    });
  }

  async lease(queue: string, leaseMs: number): Promise<LeasedItem | undefined> {
    const ms = positiveMs(DRIVER, `lease "${queue}": leaseMs`, leaseMs);
    // Nothing to lease (and no write of this turn still to come that could add something): answer from a read
    // instead of a write and its commit.
    if (!this.writes.busy) {
      const leasable = this.run('lease', `queue "${queue}"`, () => this.sql.queuePeek.get({ queue, now: this.now() }));
      if (leasable === undefined) return undefined;
    }
    return this.write('lease', `queue "${queue}"`, () => {
      const now = this.now();
      const leaseToken = randomUUID();
      const row = this.sql.queueLease.get({ queue, now, leaseUntil: now + ms, leaseToken });
      return row && { id: row.id, payload: row.payload, attempts: row.attempts, leaseToken };
    });
  }

  async ack(queue: string, id: string, leaseToken: string): Promise<boolean> {
    return this.write('ack', `queue "${queue}" item "${id}"`, () => {
      const group = this.sql.queueAck.get({ queue, id, leaseToken });
      if (group === undefined) return false;
      if (group !== null) this.sql.queueUnpark.run({ queue, group });
      return true;
    });
  }

  async retry(queue: string, id: string, leaseToken: string, delayMs: number): Promise<boolean> {
    const delay = nonNegativeMs(DRIVER, `retry "${queue}" item "${id}": delayMs`, delayMs);
    return this.write('retry', `queue "${queue}" item "${id}"`, () => {
      return this.sql.queueRetry.run({ queue, id, leaseToken, availableAt: this.now() + delay }).changes === 1;
    });
  }

  async queueSize(queue: string, group?: string): Promise<number> {
    return this.run('queueSize', `queue "${queue}"`, () =>
      (group === undefined ? this.sql.queueSize.get({ queue }) : this.sql.queueGroupSize.get({ queue, group })) ?? 0,
    );
  }

  async acquireLock(name: string, ttlMs: number): Promise<string | undefined> {
    const ms = positiveMs(DRIVER, `lock "${name}": ttlMs`, ttlMs);
    return this.write('acquireLock', `lock "${name}"`, () => {
      const now = this.now();
      const token = randomUUID();
      return this.sql.lockAcquire.run({ name, token, expiresAt: now + ms, now }).changes === 1 ? token : undefined;
    });
  }

  async releaseLock(name: string, token: string): Promise<boolean> {
    return this.write('releaseLock', `lock "${name}"`, () => {
      const expiresAt = this.sql.lockRelease.get({ name, token });
      return expiresAt !== undefined && expiresAt > this.now();
    });
  }

  async purgeOwner(owner: Owner): Promise<number> {
    return this.write('purgeOwner', `account "${owner.account}" follower "${owner.openid}"`, () =>
      this.purgeRows(owner.account, owner.openid),
    );
  }

  async purgeAccount(account: string): Promise<number> {
    return this.write('purgeAccount', `account "${account}"`, () => this.purgeRows(account, null));
  }

  async ping(): Promise<boolean> {
    if (this.closed) return false;
    try {
      return this.sql.ping.get() === 1;
    } catch {
      return false;
    }
  }

  /** Commits the writes still waiting for their batch, then closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.sweepTimer);
    this.writes.flush();
    this.db.close();
  }

  /** Delete expired keys and locks now; returns how many rows went. Runs on a timer too. */
  sweep(): number {
    return this.run('sweep', this.path, () => {
      const now = this.now();
      let removed = 0;
      for (;;) {
        const { changes } = this.sql.kvSweep.run({ now, limit: SWEEP_BATCH });
        removed += changes;
        if (changes < SWEEP_BATCH) break;
      }
      return removed + this.sql.lockSweep.run({ now }).changes;
    });
  }

  // incrementRow and purgeRows read then write, or write twice: they rely on running as one write of the group
  // commit (its own savepoint inside BEGIN IMMEDIATE), so nothing lands between their statements and a failure
  // undoes all of them.

  private incrementRow(key: string, by: number, expiresAt: number | null, owner: Owner | undefined): number {
    const current = this.sql.kvGet.get({ key, now: this.now() });
    if (current === undefined) {
      this.sql.kvSet.run({ key, value: String(by), expiresAt, ...ownerColumns(owner) });
      return by;
    }
    const value = counterValue(current);
    const next = value === undefined ? undefined : value + by;
    if (next === undefined || !Number.isSafeInteger(next)) throw notACounter(DRIVER, key);
    this.sql.kvUpdateValue.run({ key, value: String(next) });
    return next;
  }

  /** Delete the kv rows and queue items of an owner (openid given) or of a whole account (openid null). */
  private purgeRows(account: string, openid: string | null): number {
    const now = this.now();
    const expiries =
      openid === null ? this.sql.kvPurgeAccount.all({ account }) : this.sql.kvPurgeOwner.all({ account, openid });
    const items =
      openid === null ? this.sql.queuePurgeAccount.all({ account }) : this.sql.queuePurgeOwner.all({ account, openid });
    // A purged item may have been the head of its group: the group's oldest remaining item takes its place.
    const groups = new Map<string, Set<string>>();
    for (const { queue, grp } of items) if (grp !== null) groups.set(queue, (groups.get(queue) ?? new Set()).add(grp));
    for (const [queue, names] of groups) for (const group of names) this.sql.queueUnpark.run({ queue, group });
    // Expired rows go too, but they were already absent, so they are not counted.
    return expiries.filter((e) => e === null || e > now).length + items.length;
  }

  /** Run a read (or the sweep) now; backend failures become a StoreError naming the operation and its subject. */
  private run<T>(operation: string, subject: string, fn: () => T): T {
    if (this.closed) throw closedError(operation, subject);
    try {
      return fn();
    } catch (err) {
      throw this.failure(operation, subject, err);
    }
  }

  /** Queue a write for the current group commit; settles once its batch has committed (or failed). */
  private write<T>(operation: string, subject: string, fn: () => T): Promise<T> {
    if (this.closed) return Promise.reject(closedError(operation, subject));
    return this.writes.submit(fn, (err) => this.failure(operation, subject, err));
  }

  private failure(operation: string, subject: string, err: unknown): StoreError {
    if (err instanceof StoreError) return err;
    const message = `${operation} ${subject} failed (${this.path}): ${messageOf(err)}`;
    return new StoreError(codeOf(err), DRIVER, message, { cause: err });
  }
}

/** A TTL checked at call time (so a bad one is refused before anything is queued); undefined = no expiry. */
function ttlOf(what: string, ttlMs: number | undefined): number | undefined {
  return ttlMs === undefined ? undefined : positiveMs(DRIVER, what, ttlMs);
}

/** The absolute expiry of a TTL that starts now, or null for "never". */
function expiry(now: number, ttl: number | undefined): number | null {
  return ttl === undefined ? null : now + ttl;
}

function closedError(operation: string, subject: string): StoreError {
  return new StoreError('STORE_CLOSED', DRIVER, `${operation} ${subject}: used after close()`);
}

/** Pragmas and migrations; runs once per connection. */
function configure(db: Database.Database, path: string): void {
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (mode !== 'wal' && path !== ':memory:' && path !== '') {
    const why = `${path}: cannot switch to WAL mode (got "${String(mode)}"); is it on a network filesystem?`;
    throw new StoreError('STORE_FAILED', DRIVER, why);
  }
  db.pragma('synchronous = NORMAL');
  if (db.pragma('user_version', { simple: true }) === SCHEMA_VERSION) return;
  db.transaction(() => {
    // Read again under the write lock: another process may have migrated meanwhile.
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new StoreError(
        'STORE_SCHEMA_TOO_NEW',
        DRIVER,
        `${path} has schema version ${version}, this mpgate understands up to ${SCHEMA_VERSION}: upgrade mpgate`,
      );
    }
    for (const migration of MIGRATIONS.slice(version)) db.exec(migration);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

/** Opening a fresh file races with other processes doing the same (WAL switch, migration): retry while busy. */
function retryWhileBusy(timeoutMs: number, fn: () => void): void {
  const deadline = Date.now() + timeoutMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      fn();
      return;
    } catch (err) {
      if (codeOf(err) !== 'STORE_BUSY' || Date.now() >= deadline) throw err;
      Atomics.wait(pause, 0, 0, 10 + Math.random() * 40);
    }
  }
}

function codeOf(err: unknown): 'STORE_BUSY' | 'STORE_FAILED' {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY') ? 'STORE_BUSY' : 'STORE_FAILED';
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
