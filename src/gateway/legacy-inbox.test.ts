import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '../store/memory-store.js';
import { adoptLegacyInbox } from './legacy-inbox.js';

test('messages an earlier version left in per-follower inboxes move to the grouped inbox, in order, once', async () => {
  const store = new MemoryStore();
  const alice = { account: 'main', openid: 'o-alice' };
  const bob = { account: 'main', openid: 'o-bob' };
  for (const owner of [alice, bob]) {
    await store.enqueue('ready', { id: `${owner.account}:${owner.openid}`, payload: JSON.stringify(owner), owner });
  }
  await store.enqueue('inbox:main:o-alice', { id: 'o-alice:m:1', payload: '{"type":"query","query":"一"}', owner: alice });
  await store.enqueue('inbox:main:o-alice', { id: 'o-alice:m:2', payload: '{"type":"query","query":"二"}', owner: alice });
  await store.enqueue('inbox:main:o-bob', { id: 'o-bob:m:1', payload: '{"type":"reset"}', owner: bob });

  assert.equal(await adoptLegacyInbox(store), 3);
  assert.equal(await adoptLegacyInbox(store), 0, 'nothing left to move');
  for (const queue of ['ready', 'inbox:main:o-alice', 'inbox:main:o-bob']) assert.equal(await store.queueSize(queue), 0, queue);
  assert.equal(await store.queueSize('inbox', 'main:o-alice'), 2);

  const first = await store.lease('inbox', 1000);
  const second = await store.lease('inbox', 1000);
  assert.deepEqual([first?.id, second?.id], ['main:o-alice:m:1', 'main:o-bob:m:1'], "alice's second message waits for her first");
  assert.ok(first?.payload.endsWith('\n{"type":"query","query":"一"}'));
  assert.equal(await store.purgeOwner(alice), 2, 'moved items still belong to their follower');
  await store.close();
});
