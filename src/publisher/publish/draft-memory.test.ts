import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryStore } from '../../store/index.js';
import { DraftMemory } from './draft-memory.js';

test('a draft is remembered per AppID and per exact list of files', async () => {
  const store = new MemoryStore();
  const a = new DraftMemory(store, 'wxA');
  await a.remember(['/x/a.md', '/x/b.md'], 'DRAFT1', 1000);
  assert.deepEqual(await a.recall(['/x/a.md', '/x/b.md']), { mediaId: 'DRAFT1', files: ['/x/a.md', '/x/b.md'], updatedAt: 1000 });
  assert.equal(await a.recall(['/x/b.md', '/x/a.md']), undefined, 'another order is another draft');
  assert.equal(await a.recall(['/x/a.md']), undefined);
  assert.equal(await new DraftMemory(store, 'wxB').recall(['/x/a.md', '/x/b.md']), undefined, 'another account');
});

test('forgetDraft (after draft delete) and forget (after publishing) drop the mapping', async () => {
  const store = new MemoryStore();
  const memory = new DraftMemory(store, 'wxA');
  await memory.remember(['/a.md'], 'D1');
  assert.equal(await memory.forgetDraft('D1'), true);
  assert.equal(await memory.recall(['/a.md']), undefined);
  assert.equal(await memory.forgetDraft('D1'), false);

  // an old draft id no longer maps to files that moved on to a newer draft
  await memory.remember(['/a.md'], 'D2');
  await memory.remember(['/a.md'], 'D3');
  assert.equal(await memory.forgetDraft('D2'), false);
  assert.equal((await memory.recall(['/a.md']))?.mediaId, 'D3');
  assert.equal(await memory.forget(['/a.md']), true);
  assert.equal(await memory.recall(['/a.md']), undefined);
});
