import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteGroupCommit } from './sqlite-group-commit.js';
import { SqliteStore } from './sqlite-store.js';

function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'mpgate-group-commit-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A raw connection with one table, for driving SqliteGroupCommit directly. */
function rawDb(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT NOT NULL)');
  return db;
}

const describeAs = (label: string) => (err: unknown) => new Error(`${label}: ${(err as Error).message}`, { cause: err });

test('group commit: writes of one turn share one transaction and resolve only after it committed', async () => {
  const tmp = tempDir();
  const path = join(tmp.dir, 'g.db');
  const db = rawDb(path);
  const other = new Database(path, { readonly: true });
  try {
    const writes = new SqliteGroupCommit(db);
    const seenByOther: number[] = [];
    const insert = db.prepare<[string, string]>('INSERT INTO t VALUES (?, ?)');
    const count = other.prepare<[], number>('SELECT count(*) FROM t').pluck();
    const results = Promise.all(
      ['a', 'b', 'c'].map((k) =>
        writes.submit(() => {
          assert.ok(db.inTransaction, 'runs inside the batch transaction');
          insert.run(k, k);
          seenByOther.push(count.get()!);
          return k;
        }, describeAs(k)),
      ),
    );
    assert.equal(count.get(), 0, 'nothing runs before the turn ends');
    assert.deepEqual(await results, ['a', 'b', 'c']);
    assert.deepEqual(seenByOther, [0, 0, 0], 'another connection sees none of the batch before COMMIT');
    assert.equal(count.get(), 3, 'and all of it once the promises resolved');
  } finally {
    other.close();
    db.close();
    tmp.remove();
  }
});

test('group commit: a failing write is undone alone; the writes around it commit', async () => {
  const tmp = tempDir();
  const db = rawDb(join(tmp.dir, 'g.db'));
  try {
    const writes = new SqliteGroupCommit(db);
    const insert = db.prepare<[string, string]>('INSERT INTO t VALUES (?, ?)');
    const first = writes.submit(() => insert.run('a', '1').changes, describeAs('first'));
    // Two statements, the second failing: the first one's row must not survive (savepoint rollback).
    const failing = writes.submit(() => {
      insert.run('b', '1');
      insert.run('a', 'duplicate');
    }, describeAs('failing'));
    const last = writes.submit(() => insert.run('c', '1').changes, describeAs('last'));
    const [a, b, c] = await Promise.allSettled([first, failing, last]);
    assert.deepEqual(a, { status: 'fulfilled', value: 1 });
    assert.equal(b.status, 'rejected');
    assert.match(String((b as PromiseRejectedResult).reason.message), /^failing: UNIQUE constraint failed/);
    assert.deepEqual(c, { status: 'fulfilled', value: 1 });
    assert.deepEqual(db.prepare('SELECT k FROM t ORDER BY k').pluck().all(), ['a', 'c']);
  } finally {
    db.close();
    tmp.remove();
  }
});

test('group commit: when SQLite aborts the whole transaction, every write of the batch fails and none is kept', async () => {
  const tmp = tempDir();
  const db = rawDb(join(tmp.dir, 'g.db'));
  try {
    const writes = new SqliteGroupCommit(db);
    const insert = db.prepare<[string, string]>('INSERT INTO t VALUES (?, ?)');
    const before = writes.submit(() => insert.run('a', '1'), describeAs('before'));
    // What SQLITE_FULL or an I/O error does: the transaction is rolled back under the batch's feet.
    const aborting = writes.submit(() => {
      db.exec('ROLLBACK');
      throw new Error('disk I/O error');
    }, describeAs('aborting'));
    const after = writes.submit(() => insert.run('c', '1'), describeAs('after'));
    const outcomes = await Promise.allSettled([before, aborting, after]);
    assert.deepEqual(
      outcomes.map((o) => (o.status === 'rejected' ? (o.reason as Error).message : 'fulfilled')),
      ['before: disk I/O error', 'aborting: disk I/O error', 'after: disk I/O error'],
    );
    assert.equal(db.inTransaction, false);
    assert.equal(db.prepare('SELECT count(*) FROM t').pluck().get(), 0);
  } finally {
    db.close();
    tmp.remove();
  }
});

test('group commit: a full batch runs at once, without waiting for the end of the turn', async () => {
  const tmp = tempDir();
  const db = rawDb(join(tmp.dir, 'g.db'));
  try {
    const writes = new SqliteGroupCommit(db, 2);
    const ran: string[] = [];
    const submit = (k: string) => writes.submit(() => ran.push(k), describeAs(k));
    const pending = [submit('a')];
    assert.deepEqual(ran, []);
    pending.push(submit('b'));
    assert.deepEqual(ran, ['a', 'b'], 'the second write filled the batch');
    pending.push(submit('c'));
    assert.deepEqual(ran, ['a', 'b']);
    await Promise.all(pending);
    assert.deepEqual(ran, ['a', 'b', 'c']);
  } finally {
    db.close();
    tmp.remove();
  }
});

test('sqlite: writes issued together run in issue order, each seeing the ones before it', async () => {
  const tmp = tempDir();
  const store = new SqliteStore({ path: join(tmp.dir, 'store.db'), sweepIntervalMs: 0 });
  try {
    const results = await Promise.allSettled([
      store.set('k', 'a'),
      store.compareAndSet('k', 'a', 'b'),
      store.set('text', 'not a number'),
      store.increment('text'),
      store.claim('k', 'c'),
      store.enqueue('q', { id: 'm1', payload: 'p' }),
      store.lease('q', 60_000),
    ]);
    const [set, compareAndSet, setText, increment, claim, enqueue, lease] = results.map((r) =>
      r.status === 'fulfilled' ? r.value : (r.reason as { code: string }).code,
    );
    assert.deepEqual([set, compareAndSet, setText, increment, claim, enqueue], [undefined, true, undefined, 'STORE_NOT_INTEGER', false, undefined]);
    assert.equal((lease as { id: string } | undefined)?.id, 'm1', 'the lease saw the item enqueued just before it');
    assert.equal(await store.get('k'), 'b');
    assert.equal(await store.get('text'), 'not a number', 'the failed increment changed nothing');
  } finally {
    await store.close();
    tmp.remove();
  }
});

test('sqlite: a busy database fails every write of the batch, each naming its own key, and keeps none', async () => {
  const tmp = tempDir();
  const path = join(tmp.dir, 'store.db');
  const store = new SqliteStore({ path, busyTimeoutMs: 50, sweepIntervalMs: 0 });
  const blocker = new Database(path);
  try {
    blocker.exec('BEGIN IMMEDIATE');
    const outcomes = await Promise.allSettled([store.set('conv:1', 'v'), store.claim('job:2', 'v')]);
    blocker.exec('ROLLBACK');
    assert.deepEqual(
      outcomes.map((o) => o.status === 'rejected' && (o.reason as { code: string }).code),
      ['STORE_BUSY', 'STORE_BUSY'],
    );
    assert.match((outcomes[0] as PromiseRejectedResult).reason.message, /set "conv:1"/);
    assert.match((outcomes[1] as PromiseRejectedResult).reason.message, /claim "job:2"/);
    assert.equal(await store.get('conv:1'), undefined);
    assert.equal(await store.claim('job:2', 'again'), true, 'the failed claim left nothing behind');
  } finally {
    if (blocker.inTransaction) blocker.exec('ROLLBACK');
    blocker.close();
    await store.close();
    tmp.remove();
  }
});

test('sqlite: close() commits the writes still waiting for their batch', async () => {
  const tmp = tempDir();
  const path = join(tmp.dir, 'store.db');
  try {
    const store = new SqliteStore({ path, sweepIntervalMs: 0 });
    const written = store.set('k', 'v');
    const enqueued = store.enqueue('q', { id: 'm1', payload: 'p' });
    await store.close();
    await Promise.all([written, enqueued]);
    await assert.rejects(store.set('late', 'v'), { code: 'STORE_CLOSED' });
    const reopened = new SqliteStore({ path, sweepIntervalMs: 0 });
    try {
      assert.equal(await reopened.get('k'), 'v');
      assert.equal(await reopened.queueSize('q'), 1);
      assert.equal(await reopened.get('late'), undefined);
    } finally {
      await reopened.close();
    }
  } finally {
    tmp.remove();
  }
});
