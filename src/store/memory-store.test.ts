import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from './manual-clock.js';
import { MemoryStore } from './memory-store.js';
import { runStoreContract } from './store-contract.js';

runStoreContract('memory', async () => {
  const clock = new ManualClock();
  const store = new MemoryStore({ now: clock.now });
  return { store, clock, cleanup: () => store.close() };
});

test('memory: the sweep drops expired keys and locks from memory', async () => {
  const clock = new ManualClock();
  const store = new MemoryStore({ now: clock.now, sweepIntervalMs: 0 });
  try {
    await store.set('short', 'v', { ttlMs: 100 });
    await store.set('long', 'v', { ttlMs: 10_000 });
    await store.acquireLock('l', 100);
    assert.equal(store.sweep(), 0);
    clock.advance(200);
    assert.equal(store.sweep(), 2);
    assert.equal(await store.get('long'), 'v');
  } finally {
    await store.close();
  }
});

// The suite also runs without a controllable clock (as a Redis driver will): it must then wait for real.
runStoreContract('memory, real clock', async () => {
  const store = new MemoryStore();
  return { store, cleanup: () => store.close() };
});
