import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FollowerItem } from './chat-items.js';
import { ChatTimeline } from './chat-timeline.js';

const text = (t: string) => ({ type: 'text' as const, text: t });

test('changes() returns only what changed after a version, items and log lines alike', () => {
  const t = new ChatTimeline({ now: () => 1000 });
  const a = t.add({ kind: 'follower', message: text('hi'), deliveries: [], state: 'sending' });
  t.log('gateway', 'delivery 1');
  const seen = t.version;
  assert.deepEqual(t.changes(t.epoch, seen), { epoch: t.epoch, version: seen, items: [], log: [], status: { typing: false } });
  t.setStatus({ typing: false });
  assert.equal(t.version, seen, 'an unchanged status is no change');
  t.setStatus({ typing: true });
  assert.deepEqual(t.changes(t.epoch, seen).status, { typing: true });
  const typed = t.version;
  assert.ok(typed > seen);

  t.update<FollowerItem>(a, (item) => {
    item.state = 'done';
  });
  t.add({ kind: 'notice', text: 'n', tone: 'hint' }, 5);
  const after = t.changes(t.epoch, typed);
  assert.deepEqual(after.items.map((i) => [i.id, i.kind]), [
    [a, 'follower'],
    ['i2', 'notice'],
  ]);
  assert.equal((after.items[0] as FollowerItem).state, 'done');
  assert.equal(after.items[1]?.at, 5, 'an explicit time is kept');
  assert.equal(after.items[0]?.at, 1000);
  assert.equal(after.log.length, 0);
});

test('clear() starts a new epoch with an empty chat and log: a page on the old epoch gets everything new', () => {
  const t = new ChatTimeline();
  t.add({ kind: 'notice', text: 'old', tone: 'hint' });
  t.log('demo', 'gone');
  const old = t.epoch;
  t.clear();
  t.add({ kind: 'notice', text: 'new', tone: 'hint' });
  t.log('demo', 'kept');
  const changes = t.changes(old, t.version);
  assert.notEqual(changes.epoch, old);
  assert.deepEqual(changes.items.map((i) => (i.kind === 'notice' ? i.text : '')), ['new']);
  assert.deepEqual(changes.log.map((l) => l.text), ['kept']);
  t.update('i1', () => assert.fail('a cleared item is not updated'));
});

test('waitForChange resolves on the next change, at once when behind, after the timeout otherwise, and on close', async () => {
  const t = new ChatTimeline();
  t.log('demo', 'one');
  await t.waitForChange(t.epoch, 0, 10_000); // behind: at once

  const v = t.version;
  let woken = false;
  const waiting = t.waitForChange(t.epoch, v, 10_000).then(() => {
    woken = true;
  });
  await new Promise((r) => setImmediate(r));
  assert.equal(woken, false);
  t.log('demo', 'two');
  await waiting;
  assert.equal(woken, true);

  await t.waitForChange(t.epoch, t.version, 30); // nothing changes: resolves by its timeout

  const released = t.waitForChange(t.epoch, t.version, 10_000);
  t.close();
  await released;
  await t.waitForChange(t.epoch, t.version, 10_000); // closed: never waits again
});
