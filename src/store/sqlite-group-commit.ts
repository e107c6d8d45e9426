/**
 * Group commit for the SQLite store. A small write costs little to execute but ~20–50 µs to commit (WAL append,
 * locking), so writes submitted during one turn of the event loop are run together in ONE
 * `BEGIN IMMEDIATE … COMMIT` and share that cost. Each write still behaves as its own transaction:
 * - atomic: it runs inside its own SAVEPOINT, so a write that throws is rolled back alone and the others of the
 *   batch still commit (its promise rejects, theirs resolve);
 * - durable before it is reported: every promise settles only after COMMIT returned, so a caller never acts on a
 *   write that a crash could still undo (same `synchronous` guarantee as an autocommit statement);
 * - isolated across processes: the batch holds the write lock from BEGIN IMMEDIATE to COMMIT, and another process
 *   sees all of it or none of it, which is indistinguishable from the same writes committed back to back.
 * Writes run in submission order; a caller that awaits each write before the next keeps its own order too.
 */
import type Database from 'better-sqlite3';

/**
 * At most this many writes per transaction: bounds how long one batch holds the write lock (other processes
 * wait on it) and blocks this event loop. A few µs per write, so well under 2 ms.
 */
export const MAX_GROUP_COMMIT_BATCH = 256;

/** One submitted write. `describe` turns a failure into the error its caller should see. */
interface PendingWrite {
  work(): unknown;
  describe(err: unknown): unknown;
  resolve(value: unknown): void;
  reject(reason: unknown): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Batches synchronous write functions on one better-sqlite3 connection into shared transactions. */
export class SqliteGroupCommit {
  private pending: PendingWrite[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private readonly begin: Database.Statement;
  private readonly commit: Database.Statement;
  private readonly rollback: Database.Statement;
  private readonly savepoint: Database.Statement;
  private readonly release: Database.Statement;
  private readonly rollbackTo: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly maxBatch = MAX_GROUP_COMMIT_BATCH,
  ) {
    // IMMEDIATE takes the write lock up front, waiting up to the connection's busy timeout for other processes.
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.commit = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');
    this.savepoint = db.prepare('SAVEPOINT group_commit_write');
    this.release = db.prepare('RELEASE group_commit_write');
    this.rollbackTo = db.prepare('ROLLBACK TO group_commit_write');
  }

  /** True while writes wait for their batch: a read now would not see them. */
  get busy(): boolean {
    return this.pending.length > 0;
  }

  /**
   * Queue `work` (synchronous SQLite calls) for the current batch. Resolves with its result once the batch has
   * committed; rejects with `describe(error)` when it threw, or when the batch as a whole could not commit.
   */
  submit<T>(work: () => T, describe: (err: unknown) => unknown): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, describe, resolve: resolve as (value: unknown) => void, reject });
      if (this.pending.length >= this.maxBatch) this.flush();
      // The check phase runs after the poll phase, so every write issued by this turn's I/O callbacks
      // (and the microtasks they start) joins the batch; writes issued by the batch's own callers land in
      // the next turn, after pending I/O has been served, so a stream of writes never starves the loop.
      else this.scheduled ??= setImmediate(() => this.flush());
    });
  }

  /** Run everything submitted so far, now (`close()` calls this so no accepted write is dropped). */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    while (this.pending.length > 0) this.runBatch(this.pending.splice(0, this.maxBatch));
  }

  private runBatch(batch: PendingWrite[]): void {
    let outcomes: Outcome[];
    try {
      this.begin.run();
      // A lone write needs no savepoint: if it fails, rolling back the transaction undoes exactly that write.
      outcomes = batch.length === 1 ? [this.attempt(batch[0]!)] : batch.map((write) => this.attemptIsolated(write));
      this.commit.run();
    } catch (err) {
      // BEGIN failed (SQLITE_BUSY past the busy timeout), COMMIT failed, or SQLite itself rolled the transaction
      // back (SQLITE_FULL, IOERR, NOMEM): nothing of the batch is in the database, so every write fails.
      if (this.db.inTransaction) this.rollbackQuietly();
      for (const write of batch) write.reject(write.describe(err));
      return;
    }
    for (const [i, write] of batch.entries()) {
      const outcome = outcomes[i]!;
      if (outcome.ok) write.resolve(outcome.value);
      else write.reject(write.describe(outcome.error));
    }
  }

  /** The only write of its transaction: an error aborts the transaction (see runBatch). */
  private attempt(write: PendingWrite): Outcome {
    return { ok: true, value: write.work() };
  }

  /** One write among others: undo just its own changes when it throws, and keep the transaction going. */
  private attemptIsolated(write: PendingWrite): Outcome {
    this.savepoint.run();
    try {
      const value = write.work();
      this.release.run();
      return { ok: true, value };
    } catch (error) {
      // Some errors make SQLite roll back the whole transaction; then the batch cannot commit as a whole.
      if (!this.db.inTransaction) throw error;
      this.rollbackTo.run();
      this.release.run();
      return { ok: false, error };
    }
  }

  private rollbackQuietly(): void {
    try {
      this.rollback.run();
    } catch {
      // The connection is already failing; the callers get the original error.
    }
  }
}
