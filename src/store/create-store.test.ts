import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore, MemoryStore, SqliteStore, StoreError } from './index.js';

test('createStore builds a working memory store', async () => {
  const store = await createStore({ driver: 'memory' });
  try {
    assert.ok(store instanceof MemoryStore);
    assert.equal(store.driver, 'memory');
    assert.equal(await store.claim('k', 'v'), true);
    assert.equal(await store.get('k'), 'v');
  } finally {
    await store.close();
  }
});

test('createStore builds a sqlite store on the given path', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mpgate-create-'));
  const path = join(dir, 'data', 'mpgate.db');
  try {
    const store = await createStore({ driver: 'sqlite', path });
    try {
      assert.ok(store instanceof SqliteStore);
      assert.equal(store.driver, 'sqlite');
      await store.set('k', 'v');
      assert.ok(existsSync(path));
      assert.equal(await store.ping(), true);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('createStore says plainly that the redis driver is not available yet', async () => {
  await assert.rejects(createStore({ driver: 'redis', url: 'redis://127.0.0.1:6379' }), (err: unknown) => {
    assert.ok(err instanceof StoreError);
    assert.equal(err.code, 'STORE_DRIVER_UNAVAILABLE');
    assert.equal(err.driver, 'redis');
    assert.match(err.message, /redis driver is not available yet/);
    assert.match(err.message, /sqlite/, 'it names the alternative');
    return true;
  });
});

test('createStore refuses an unknown driver, naming the accepted ones', async () => {
  await assert.rejects(createStore({ driver: 'postgres' as 'memory' }), (err: unknown) => {
    assert.ok(err instanceof StoreError);
    assert.equal(err.code, 'STORE_INVALID_CONFIG');
    assert.match(err.message, /postgres/);
    assert.match(err.message, /"memory", "sqlite" or "redis"/);
    return true;
  });
});
