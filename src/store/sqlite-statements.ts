/**
 * Every SQL statement the SQLite store runs, prepared once per connection. Each one is atomic on its own;
 * the few read-then-write operations combine them inside one savepoint of a group commit (see sqlite-store.ts).
 */
import type Database from 'better-sqlite3';

const live = '(expires_at IS NULL OR expires_at > @now)';
const kvInsert = `INSERT INTO kv (key, value, expires_at, owner_account, owner_openid)
  VALUES (@key, @value, @expiresAt, @ownerAccount, @ownerOpenid)
  ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at,
    owner_account = excluded.owner_account, owner_openid = excluded.owner_openid`;

/** The SQL text, exported so tests can check each statement's query plan. */
export const SQL = {
  ping: 'SELECT 1',
  kvGet: `SELECT value FROM kv WHERE key = @key AND ${live}`,
  kvSet: kvInsert,
  // Set-if-absent in one statement: the upsert only overwrites a row that has expired.
  kvClaim: `${kvInsert} WHERE kv.expires_at IS NOT NULL AND kv.expires_at <= @now`,
  kvCompareAndSet: `UPDATE kv SET value = @next, expires_at = coalesce(@expiresAt, expires_at)
    WHERE key = @key AND value = @expected AND ${live}`,
  kvUpdateValue: 'UPDATE kv SET value = @value WHERE key = @key',
  kvCompareAndDelete: `DELETE FROM kv WHERE key = @key AND value = @expected AND ${live}`,
  kvDelete: 'DELETE FROM kv WHERE key = @key RETURNING expires_at',
  kvPurgeOwner: 'DELETE FROM kv WHERE owner_account = @account AND owner_openid = @openid RETURNING expires_at',
  kvPurgeAccount: 'DELETE FROM kv WHERE owner_account = @account RETURNING expires_at',
  kvSweep: 'DELETE FROM kv WHERE rowid IN (SELECT rowid FROM kv WHERE expires_at <= @now LIMIT @limit)',

  // An item joining a group that already has items waits, parked, behind them.
  queueEnqueue: `INSERT INTO queue_items (queue, id, payload, available_at, owner_account, owner_openid, grp, parked)
    VALUES (@queue, @id, @payload, @availableAt, @ownerAccount, @ownerOpenid, @group,
            @group IS NOT NULL AND EXISTS (SELECT 1 FROM queue_items WHERE queue = @queue AND grp = @group))
    ON CONFLICT (queue, id) DO NOTHING`,
  // Whether lease would find anything: a read, so an idle worker's look costs no write.
  queuePeek: 'SELECT 1 FROM queue_items WHERE queue = @queue AND parked = 0 AND available_at <= @now LIMIT 1',
  // Pick and take the next item in one statement, so two workers never get the same one.
  queueLease: `UPDATE queue_items SET available_at = @leaseUntil, lease_token = @leaseToken, attempts = attempts + 1
    WHERE seq = (SELECT seq FROM queue_items WHERE queue = @queue AND parked = 0 AND available_at <= @now
                 ORDER BY available_at, seq LIMIT 1)
    RETURNING id, payload, attempts`,
  queueAck: 'DELETE FROM queue_items WHERE queue = @queue AND id = @id AND lease_token = @leaseToken RETURNING grp',
  // The group's oldest remaining item becomes leasable.
  queueUnpark: `UPDATE queue_items SET parked = 0
    WHERE seq = (SELECT seq FROM queue_items WHERE queue = @queue AND grp = @group ORDER BY seq LIMIT 1) AND parked = 1`,
  queueRetry: `UPDATE queue_items SET available_at = @availableAt, lease_token = NULL
    WHERE queue = @queue AND id = @id AND lease_token = @leaseToken`,
  queueSize: 'SELECT count(*) FROM queue_items WHERE queue = @queue',
  queueGroupSize: 'SELECT count(*) FROM queue_items WHERE queue = @queue AND grp = @group',
  // Each deleted item's group, so the group's next item can be unparked.
  queuePurgeOwner: 'DELETE FROM queue_items WHERE owner_account = @account AND owner_openid = @openid RETURNING queue, grp',
  queuePurgeAccount: 'DELETE FROM queue_items WHERE owner_account = @account RETURNING queue, grp',

  lockAcquire: `INSERT INTO locks (name, token, expires_at) VALUES (@name, @token, @expiresAt)
    ON CONFLICT (name) DO UPDATE SET token = excluded.token, expires_at = excluded.expires_at
    WHERE locks.expires_at <= @now`,
  lockRelease: 'DELETE FROM locks WHERE name = @name AND token = @token RETURNING expires_at',
  lockSweep: 'DELETE FROM locks WHERE expires_at <= @now',
} as const;

interface OwnerColumns {
  ownerAccount: string | null;
  ownerOpenid: string | null;
}
type KvWrite = { key: string; value: string; expiresAt: number | null } & OwnerColumns;
type OwnerKey = { account: string; openid: string };
type QueueKey = { queue: string; id: string; leaseToken: string };
type PurgedItem = { queue: string; grp: string | null };
type QueueInsert = { queue: string; id: string; payload: string; availableAt: number; group: string | null } & OwnerColumns;

/** The prepared statements of one connection (named, so the declaration build can emit their types). */
export interface PreparedStatements {
  ping: Database.Statement<[], number>;
  kvGet: Database.Statement<{ key: string; now: number }, string>;
  kvSet: Database.Statement<KvWrite>;
  kvClaim: Database.Statement<KvWrite & { now: number }>;
  kvCompareAndSet: Database.Statement<{ key: string; expected: string; next: string; expiresAt: number | null; now: number }>;
  kvUpdateValue: Database.Statement<{ key: string; value: string }>;
  kvCompareAndDelete: Database.Statement<{ key: string; expected: string; now: number }>;
  kvDelete: Database.Statement<{ key: string }, number | null>;
  kvPurgeOwner: Database.Statement<OwnerKey, number | null>;
  kvPurgeAccount: Database.Statement<{ account: string }, number | null>;
  kvSweep: Database.Statement<{ now: number; limit: number }>;
  queueEnqueue: Database.Statement<QueueInsert>;
  queuePeek: Database.Statement<{ queue: string; now: number }, number>;
  queueLease: Database.Statement<{ queue: string; now: number; leaseUntil: number; leaseToken: string }, { id: string; payload: string; attempts: number }>;
  queueAck: Database.Statement<QueueKey, string | null>;
  queueUnpark: Database.Statement<{ queue: string; group: string }>;
  queueRetry: Database.Statement<QueueKey & { availableAt: number }>;
  queueSize: Database.Statement<{ queue: string }, number>;
  queueGroupSize: Database.Statement<{ queue: string; group: string }, number>;
  queuePurgeOwner: Database.Statement<OwnerKey, PurgedItem>;
  queuePurgeAccount: Database.Statement<{ account: string }, PurgedItem>;
  lockAcquire: Database.Statement<{ name: string; token: string; expiresAt: number; now: number }>;
  lockRelease: Database.Statement<{ name: string; token: string }, number>;
  lockSweep: Database.Statement<{ now: number }>;
}

/** Prepare every statement on a connection whose schema is up to date. */
export function prepareStatements(db: Database.Database): PreparedStatements {
  return {
    ping: db.prepare<[], number>(SQL.ping).pluck(),
    kvGet: db.prepare<{ key: string; now: number }, string>(SQL.kvGet).pluck(),
    kvSet: db.prepare<KvWrite>(SQL.kvSet),
    kvClaim: db.prepare<KvWrite & { now: number }>(SQL.kvClaim),
    kvCompareAndSet: db.prepare<{ key: string; expected: string; next: string; expiresAt: number | null; now: number }>(
      SQL.kvCompareAndSet,
    ),
    kvUpdateValue: db.prepare<{ key: string; value: string }>(SQL.kvUpdateValue),
    kvCompareAndDelete: db.prepare<{ key: string; expected: string; now: number }>(SQL.kvCompareAndDelete),
    kvDelete: db.prepare<{ key: string }, number | null>(SQL.kvDelete).pluck(),
    kvPurgeOwner: db.prepare<OwnerKey, number | null>(SQL.kvPurgeOwner).pluck(),
    kvPurgeAccount: db.prepare<{ account: string }, number | null>(SQL.kvPurgeAccount).pluck(),
    kvSweep: db.prepare<{ now: number; limit: number }>(SQL.kvSweep),

    queueEnqueue: db.prepare<QueueInsert>(SQL.queueEnqueue),
    queuePeek: db.prepare<{ queue: string; now: number }, number>(SQL.queuePeek).pluck(),
    queueLease: db.prepare<
      { queue: string; now: number; leaseUntil: number; leaseToken: string },
      { id: string; payload: string; attempts: number }
    >(SQL.queueLease),
    queueAck: db.prepare<QueueKey, string | null>(SQL.queueAck).pluck(),
    queueUnpark: db.prepare<{ queue: string; group: string }>(SQL.queueUnpark),
    queueRetry: db.prepare<QueueKey & { availableAt: number }>(SQL.queueRetry),
    queueSize: db.prepare<{ queue: string }, number>(SQL.queueSize).pluck(),
    queueGroupSize: db.prepare<{ queue: string; group: string }, number>(SQL.queueGroupSize).pluck(),
    queuePurgeOwner: db.prepare<OwnerKey, PurgedItem>(SQL.queuePurgeOwner),
    queuePurgeAccount: db.prepare<{ account: string }, PurgedItem>(SQL.queuePurgeAccount),

    lockAcquire: db.prepare<{ name: string; token: string; expiresAt: number; now: number }>(SQL.lockAcquire),
    lockRelease: db.prepare<{ name: string; token: string }, number>(SQL.lockRelease).pluck(),
    lockSweep: db.prepare<{ now: number }>(SQL.lockSweep),
  };
}

/** The owner columns of a row: both NULL when the record concerns no follower. */
export function ownerColumns(owner: { account: string; openid: string } | undefined): OwnerColumns {
  return { ownerAccount: owner?.account ?? null, ownerOpenid: owner?.openid ?? null };
}
