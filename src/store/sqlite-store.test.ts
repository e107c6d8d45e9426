import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ManualClock } from './manual-clock.js';
import { MIGRATIONS, SCHEMA_VERSION } from './sqlite-schema.js';
import { SQL } from './sqlite-statements.js';
import { SqliteStore } from './sqlite-store.js';
import { runStoreContract } from './store-contract.js';

function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'mpgate-sqlite-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

runStoreContract('sqlite', async () => {
  const tmp = tempDir();
  const clock = new ManualClock();
  const store = new SqliteStore({ path: join(tmp.dir, 'store.db'), now: clock.now });
  return {
    store,
    clock,
    cleanup: async () => {
      await store.close();
      tmp.remove();
    },
  };
});

test('sqlite: creates parent directories, uses WAL and records the schema version', async () => {
  const tmp = tempDir();
  const path = join(tmp.dir, 'nested', 'deeper', 'mpgate.db');
  try {
    const store = new SqliteStore({ path });
    await store.set('k', 'v');
    await store.close();
    assert.ok(existsSync(path));
    const db = new Database(path, { readonly: true });
    try {
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    } finally {
      db.close();
    }
  } finally {
    tmp.remove();
  }
});

test('sqlite: data survives closing and reopening the file', async () => {
  const tmp = tempDir();
  const path = join(tmp.dir, 'store.db');
  try {
    const first = new SqliteStore({ path });
    await first.set('answer:1', 'pending text', { ttlMs: 60_000, owner: { account: 'main', openid: 'o1' } });
    await first.enqueue('outbox', { id: 'm1', payload: 'p', owner: { account: 'main', openid: 'o1' } });
    await first.close();
    const second = new SqliteStore({ path });
    try {
      assert.equal(await second.get('answer:1'), 'pending text');
      assert.equal((await second.lease('outbox', 1000))?.id, 'm1');
      assert.equal(await second.purgeOwner({ account: 'main', openid: 'o1' }), 2);
    } finally {
      await second.close();
    }
  } finally {
    tmp.remove();
  }
});

test('sqlite: a file of schema version 1 is migrated, its queued items kept and leasable', async () => {
  const tmp = tempDir();
  const path = join(tmp.dir, 'store.db');
  try {
    const old = new Database(path);
    old.pragma('journal_mode = WAL');
    old.exec(MIGRATIONS[0]!);
    old.pragma('user_version = 1');
    old.prepare("INSERT INTO queue_items (queue, id, payload, available_at) VALUES ('outbox', 'm1', 'p', 0)").run();
    old.close();
    const store = new SqliteStore({ path });
    try {
      assert.equal((await store.lease('outbox', 1000))?.id, 'm1');
      await store.enqueue('inbox', { id: 'a', payload: 'p', group: 'g' });
      await store.enqueue('inbox', { id: 'b', payload: 'p', group: 'g' });
      assert.equal((await store.lease('inbox', 1000))?.id, 'a');
      assert.equal(await store.lease('inbox', 1000), undefined, 'groups work on the migrated file');
    } finally {
      await store.close();
    }
    const db = new Database(path, { readonly: true });
    assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    db.close();
  } finally {
    tmp.remove();
  }
});

test('sqlite: refuses a database written by a newer schema, naming the file and versions', async () => {
  const tmp = tempDir();
  const path = join(tmp.dir, 'store.db');
  try {
    await new SqliteStore({ path }).close();
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    assert.throws(() => new SqliteStore({ path }), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'STORE_SCHEMA_TOO_NEW');
      assert.match(err.message, /store\.db/);
      assert.match(err.message, new RegExp(`version ${SCHEMA_VERSION + 1}`));
      return true;
    });
  } finally {
    tmp.remove();
  }
});

test('sqlite: the sweep deletes expired rows and keeps live ones', async () => {
  const tmp = tempDir();
  const clock = new ManualClock();
  const path = join(tmp.dir, 'store.db');
  const store = new SqliteStore({ path, now: clock.now, sweepIntervalMs: 0 });
  try {
    for (let i = 0; i < 1200; i++) await store.set(`short:${i}`, 'v', { ttlMs: 100 });
    await store.set('long', 'v', { ttlMs: 10_000 });
    await store.set('forever', 'v');
    await store.acquireLock('l', 100);
    assert.equal(store.sweep(), 0);
    clock.advance(200);
    assert.equal(store.sweep(), 1201, 'in several batches');
    const db = new Database(path, { readonly: true });
    try {
      assert.equal(db.prepare('SELECT count(*) FROM kv').pluck().get(), 2);
      assert.equal(db.prepare('SELECT count(*) FROM locks').pluck().get(), 0);
    } finally {
      db.close();
    }
  } finally {
    await store.close();
    tmp.remove();
  }
});

test('sqlite: two connections to one file see each other and share claims', async () => {
  const tmp = tempDir();
  const path = join(tmp.dir, 'store.db');
  const a = new SqliteStore({ path });
  const b = new SqliteStore({ path });
  try {
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => (i % 2 ? a : b).claim('job', `w${i}`, { ttlMs: 60_000 })),
    );
    assert.equal(results.filter(Boolean).length, 1);
    await a.enqueue('q', { id: 'm1', payload: 'p' });
    const leased = await b.lease('q', 60_000);
    assert.equal(leased?.id, 'm1');
    assert.equal(await a.lease('q', 60_000), undefined);
    assert.ok(leased);
    assert.equal(await a.ack('q', 'm1', leased.leaseToken), true);
  } finally {
    await a.close();
    await b.close();
    tmp.remove();
  }
});

test('sqlite: every statement finds its rows through an index, and leasing needs no sort', async () => {
  const tmp = tempDir();
  const path = join(tmp.dir, 'store.db');
  const store = new SqliteStore({ path });
  const db = new Database(path, { readonly: true });
  const params = {
    key: 'k', now: 0, value: 'v', expiresAt: null, ownerAccount: null, ownerOpenid: null, next: 'n', expected: 'e',
    account: 'a', openid: 'o', limit: 5, queue: 'q', id: 'i', payload: 'p', availableAt: 0, leaseUntil: 0,
    leaseToken: 't', name: 'l', token: 't', group: 'g',
  };
  try {
    for (const [name, sql] of Object.entries(SQL)) {
      if (name === 'lockSweep') continue; // a handful of rows (one lock per account), swept once a minute
      const steps = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[];
      const plan = steps.map((s) => s.detail).join(' | ');
      // A bare "SCAN kv" (no index) would make the hot path grow with the table.
      assert.doesNotMatch(plan, /^SCAN \w+$|\| SCAN \w+( \||$)/, `${name}: ${plan}`);
      assert.doesNotMatch(plan, /TEMP B-TREE/, `${name}: ${plan}`);
    }
    const leasePlan = (db.prepare(`EXPLAIN QUERY PLAN ${SQL.queueLease}`).all(params) as { detail: string }[])
      .map((s) => s.detail)
      .join(' | ');
    assert.match(leasePlan, /queue_items_ready/);
    const purgePlan = (db.prepare(`EXPLAIN QUERY PLAN ${SQL.kvPurgeOwner}`).all(params) as { detail: string }[])
      .map((s) => s.detail)
      .join(' | ');
    assert.match(purgePlan, /kv_owner/);
  } finally {
    db.close();
    await store.close();
    tmp.remove();
  }
});

test('sqlite: backend failures name the operation, the key and the file', async () => {
  const tmp = tempDir();
  const path = join(tmp.dir, 'store.db');
  const store = new SqliteStore({ path, busyTimeoutMs: 50 });
  const blocker = new Database(path);
  try {
    blocker.exec('BEGIN IMMEDIATE'); // another process holding the write lock past the busy timeout
    await assert.rejects(store.set('conv:main:o1', 'v'), (err: Error & { code?: string; cause?: unknown }) => {
      assert.equal(err.code, 'STORE_BUSY');
      assert.match(err.message, /set "conv:main:o1"/);
      assert.match(err.message, /store\.db/);
      assert.ok(err.cause, 'the SQLite error is kept as cause');
      return true;
    });
    assert.equal(await store.get('conv:main:o1'), undefined, 'readers are not blocked by a writer (WAL)');
  } finally {
    blocker.exec('ROLLBACK');
    blocker.close();
    await store.close();
    tmp.remove();
  }
});
