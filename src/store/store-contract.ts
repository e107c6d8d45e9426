/**
 * The behaviour every Store driver must have, as node:test tests. A driver's test file calls
 * `runStoreContract('sqlite', async () => ({ store, clock, cleanup }))`; each test gets a fresh, empty store.
 *
 * Nothing here needs more than a Redis driver can do atomically (SET NX PX, Lua scripts): ties between equal
 * `availableAt` are not ordered, and time is only "now + a duration" so a server-side clock can serve.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import type { Owner, Store } from './store.js';

/** What the contract needs from a driver under test. */
export interface StoreContractSubject {
  /** A fresh store with no data in it. */
  store: Store;
  /** A clock the store reads time from; when given, the suite moves it instead of sleeping. */
  clock?: { advance(ms: number): void };
  /** Close the store and remove whatever it left behind (files, keys). */
  cleanup(): Promise<void>;
}

interface Harness {
  store: Store;
  /** Let `ms` pass: moves the clock, or sleeps when the driver has none. */
  elapse(ms: number): Promise<void>;
}

/** A TTL that the tests let run out. */
const SHORT = 50;
/** A wait that outlasts SHORT comfortably, even with a real clock. */
const PAST = 120;
/** A TTL that never runs out during a test. */
const LONG = 60_000;
/** An availableAt that is in the future for the whole test. */
const FAR_FUTURE = () => Date.now() + 3_600_000;

const alice: Owner = { account: 'main', openid: 'o-alice' };
const bob: Owner = { account: 'main', openid: 'o-bob' };
const aliceOnOtherAccount: Owner = { account: 'other', openid: 'o-alice' };

/** Register the Store contract tests for one driver. */
export function runStoreContract(name: string, makeStore: () => Promise<StoreContractSubject>): void {
  const contract = (title: string, body: (h: Harness) => Promise<void>, options: { needsClock?: boolean } = {}) =>
    test(title, async (t) => {
      const subject = await makeStore();
      try {
        const { clock } = subject;
        if (options.needsClock && !clock) {
          t.skip('needs a controllable clock');
          return;
        }
        const elapse = clock ? async (ms: number) => clock.advance(ms) : (ms: number) => sleep(ms);
        await body({ store: subject.store, elapse });
      } finally {
        await subject.cleanup();
      }
    });

  describe(`Store contract: ${name}`, () => {
    describe('get / set / TTL', () => {
      contract('get returns undefined for a missing key and the last value set otherwise', async ({ store }) => {
        assert.equal(await store.get('k'), undefined);
        await store.set('k', 'v1');
        assert.equal(await store.get('k'), 'v1');
        await store.set('k', 'v2');
        assert.equal(await store.get('k'), 'v2');
        assert.equal(await store.get('K'), undefined, 'keys are case-sensitive');
        const text = `ünïcødé 😀 ]]> '"\n${'x'.repeat(20_000)}`;
        await store.set('big', text);
        assert.equal(await store.get('big'), text, 'values come back byte for byte');
        await store.set('empty', '');
        assert.equal(await store.get('empty'), '', 'an empty value is a value, not absence');
      });

      contract('a key is absent once its TTL has passed; keys without TTL stay', async ({ store, elapse }) => {
        await store.set('short', 'a', { ttlMs: SHORT });
        await store.set('long', 'b', { ttlMs: LONG });
        await store.set('forever', 'c');
        assert.equal(await store.get('short'), 'a');
        await elapse(PAST);
        assert.equal(await store.get('short'), undefined);
        assert.equal(await store.get('long'), 'b');
        assert.equal(await store.get('forever'), 'c');
      });

      contract(
        'expiry happens when the TTL is up, not before',
        async ({ store, elapse }) => {
          await store.set('k', 'v', { ttlMs: 1000 });
          await elapse(999);
          assert.equal(await store.get('k'), 'v');
          await elapse(2);
          assert.equal(await store.get('k'), undefined);
        },
        { needsClock: true },
      );

      contract('set replaces value, TTL and owner together', async ({ store, elapse }) => {
        await store.set('a', '1', { ttlMs: SHORT });
        await store.set('a', '2');
        await store.set('b', '1');
        await store.set('b', '2', { ttlMs: SHORT });
        await store.set('c', '1', { owner: alice });
        await store.set('c', '2');
        await elapse(PAST);
        assert.equal(await store.get('a'), '2', 'a set without ttlMs clears the earlier TTL');
        assert.equal(await store.get('b'), undefined, 'a set with ttlMs adds one');
        assert.equal(await store.purgeOwner(alice), 0, 'a set without owner clears the earlier tag');
        assert.equal(await store.get('c'), '2');
      });
    });

    describe('claim', () => {
      contract('claim sets only when the key is absent, and reports whether it did', async ({ store }) => {
        assert.equal(await store.claim('job', 'first', { ttlMs: LONG }), true);
        assert.equal(await store.claim('job', 'second', { ttlMs: LONG }), false);
        assert.equal(await store.get('job'), 'first');
        await store.set('plain', 'x');
        assert.equal(await store.claim('plain', 'y'), false, 'a key written by set counts as present');
        assert.equal(await store.get('plain'), 'x');
      });

      contract('an expired claim can be claimed again, with the new TTL', async ({ store, elapse }) => {
        assert.equal(await store.claim('job', 'a', { ttlMs: SHORT }), true);
        assert.equal(await store.claim('job', 'b', { ttlMs: SHORT }), false);
        await elapse(PAST);
        assert.equal(await store.claim('job', 'c', { ttlMs: LONG }), true);
        await elapse(PAST);
        assert.equal(await store.get('job'), 'c');
        assert.equal(await store.claim('job', 'd'), false);
      });
    });

    describe('compareAndSet / compareAndDelete / delete', () => {
      contract('compareAndSet replaces the value only while it equals the expected one', async ({ store }) => {
        assert.equal(await store.compareAndSet('k', 'a', 'b'), false);
        assert.equal(await store.get('k'), undefined, 'a missing key is not created');
        await store.set('k', 'a');
        assert.equal(await store.compareAndSet('k', 'x', 'b'), false);
        assert.equal(await store.get('k'), 'a');
        assert.equal(await store.compareAndSet('k', 'a', 'b'), true);
        assert.equal(await store.get('k'), 'b');
        assert.equal(await store.compareAndSet('k', 'a', 'c'), false, 'the old value no longer matches');
      });

      contract('compareAndSet keeps TTL and owner unless told otherwise, and never revives', async ({ store, elapse }) => {
        await store.set('keep-ttl', 'a', { ttlMs: SHORT, owner: alice });
        assert.equal(await store.compareAndSet('keep-ttl', 'a', 'b'), true);
        await store.set('new-ttl', 'a', { ttlMs: SHORT, owner: alice });
        assert.equal(await store.compareAndSet('new-ttl', 'a', 'b', { ttlMs: LONG }), true);
        await store.set('expired', 'a', { ttlMs: SHORT });
        await elapse(PAST);
        assert.equal(await store.get('keep-ttl'), undefined, 'the TTL was kept');
        assert.equal(await store.get('new-ttl'), 'b', 'the TTL was reset');
        assert.equal(await store.compareAndSet('expired', 'a', 'b'), false);
        assert.equal(await store.get('expired'), undefined);
        assert.equal(await store.purgeOwner(alice), 1, 'the owner tag survived compareAndSet');
        assert.equal(await store.get('new-ttl'), undefined);
      });

      contract('compareAndDelete deletes only while the value equals the expected one', async ({ store, elapse }) => {
        assert.equal(await store.compareAndDelete('k', 'a'), false);
        await store.set('k', 'a');
        assert.equal(await store.compareAndDelete('k', 'b'), false);
        assert.equal(await store.get('k'), 'a');
        assert.equal(await store.compareAndDelete('k', 'a'), true);
        assert.equal(await store.get('k'), undefined);
        assert.equal(await store.compareAndDelete('k', 'a'), false);
        await store.set('expired', 'a', { ttlMs: SHORT });
        await elapse(PAST);
        assert.equal(await store.compareAndDelete('expired', 'a'), false);
      });

      contract('delete reports whether a live key was deleted', async ({ store, elapse }) => {
        assert.equal(await store.delete('k'), false);
        await store.set('k', 'v');
        await store.set('other', 'v');
        assert.equal(await store.delete('k'), true);
        assert.equal(await store.get('k'), undefined);
        assert.equal(await store.delete('k'), false);
        assert.equal(await store.get('other'), 'v');
        await store.set('expired', 'v', { ttlMs: SHORT });
        await elapse(PAST);
        assert.equal(await store.delete('expired'), false);
      });
    });

    describe('increment', () => {
      contract('increment counts from zero by 1 or by `by`, and returns the new value', async ({ store }) => {
        assert.equal(await store.increment('c'), 1);
        assert.equal(await store.increment('c'), 2);
        assert.equal(await store.increment('c', { by: 5 }), 7);
        assert.equal(await store.increment('c', { by: -10 }), -3);
        assert.equal(await store.get('c'), '-3', 'a counter reads back as decimal text');
        await store.set('from-text', '41');
        assert.equal(await store.increment('from-text'), 42, 'an integer written by set is a counter');
        assert.equal(await store.increment('fresh', { by: 3 }), 3);
      });

      contract('a counter created with a TTL expires, then starts again from zero', async ({ store, elapse }) => {
        assert.equal(await store.increment('quota', { ttlMs: SHORT }), 1);
        assert.equal(await store.increment('quota', { ttlMs: SHORT }), 2);
        await elapse(PAST);
        assert.equal(await store.get('quota'), undefined);
        assert.equal(await store.increment('quota', { ttlMs: LONG }), 1);
        await elapse(PAST);
        assert.equal(await store.get('quota'), '1');
      });

      contract(
        'increment sets the TTL only when it creates the counter (a fixed window)',
        async ({ store, elapse }) => {
          assert.equal(await store.increment('quota', { ttlMs: 1000 }), 1);
          await elapse(600);
          assert.equal(await store.increment('quota', { ttlMs: 1000 }), 2);
          await elapse(600);
          assert.equal(await store.get('quota'), undefined, 'the second increment did not extend the window');
        },
        { needsClock: true },
      );

      contract('increment tags a counter it creates with its owner', async ({ store }) => {
        await store.increment('quota:alice', { owner: alice });
        await store.increment('quota:alice', { owner: bob });
        assert.equal(await store.purgeOwner(bob), 0, 'the owner is set on creation only');
        assert.equal(await store.purgeOwner(alice), 1);
        assert.equal(await store.get('quota:alice'), undefined);
      });

      contract('increment refuses a value that is not an integer and leaves it alone', async ({ store }) => {
        await store.set('text', 'abc');
        await assert.rejects(store.increment('text'), { code: 'STORE_NOT_INTEGER' });
        assert.equal(await store.get('text'), 'abc');
        await store.set('fraction', '1.5');
        await assert.rejects(store.increment('fraction'), { code: 'STORE_NOT_INTEGER' });
        await assert.rejects(store.increment('c', { by: 1.5 }), { code: 'STORE_INVALID_ARGUMENT' });
        assert.equal(await store.get('c'), undefined);
      });
    });

    describe('queue', () => {
      contract('lease hands out available items in availableAt order, never future ones', async ({ store }) => {
        await store.enqueue('q', { id: 'c', payload: 'C', availableAt: 3000 });
        await store.enqueue('q', { id: 'future', payload: 'F', availableAt: FAR_FUTURE() });
        await store.enqueue('q', { id: 'a', payload: 'A', availableAt: 1000 });
        await store.enqueue('q', { id: 'b', payload: 'B', availableAt: 2000 });
        await store.enqueue('q', { id: 'now', payload: 'N' });
        const order = [];
        for (let i = 0; i < 5; i++) order.push((await store.lease('q', LONG))?.id);
        assert.deepEqual(order, ['a', 'b', 'c', 'now', undefined]);
        assert.equal(await store.queueSize('q'), 5);
      });

      contract('a leased item carries its payload, attempt count and a lease token', async ({ store }) => {
        assert.equal(await store.lease('q', LONG), undefined, 'an empty queue leases nothing');
        await store.enqueue('q', { id: 'm1', payload: '{"to":"o-alice"}' });
        const leased = await store.lease('q', LONG);
        assert.ok(leased);
        assert.equal(leased.id, 'm1');
        assert.equal(leased.payload, '{"to":"o-alice"}');
        assert.equal(leased.attempts, 1);
        assert.equal(typeof leased.leaseToken, 'string');
        assert.ok(leased.leaseToken.length >= 16, 'the token is hard to guess');
      });

      contract('enqueue is idempotent on id: the first payload wins, a lease is not reset', async ({ store }) => {
        await store.enqueue('q', { id: 'm1', payload: 'first' });
        await store.enqueue('q', { id: 'm1', payload: 'second' });
        assert.equal(await store.queueSize('q'), 1);
        const leased = await store.lease('q', LONG);
        assert.equal(leased?.payload, 'first');
        await store.enqueue('q', { id: 'm1', payload: 'third' });
        assert.equal(await store.lease('q', LONG), undefined, 'still leased');
        assert.equal(await store.queueSize('q'), 1);
      });

      contract('a leased item is invisible until the lease expires, then comes back', async ({ store, elapse }) => {
        await store.enqueue('q', { id: 'm1', payload: 'p' });
        const first = await store.lease('q', SHORT);
        assert.equal(first?.attempts, 1);
        assert.equal(await store.lease('q', SHORT), undefined, 'invisible while leased');
        await elapse(PAST); // the worker died without ack or retry
        const second = await store.lease('q', LONG);
        assert.ok(first && second);
        assert.equal(second.id, 'm1');
        assert.equal(second.payload, 'p');
        assert.equal(second.attempts, 2);
        assert.notEqual(second.leaseToken, first.leaseToken);
        assert.equal(await store.ack('q', 'm1', first.leaseToken), false, 'the first lease was lost');
        assert.equal(await store.retry('q', 'm1', first.leaseToken, 0), false);
        assert.equal(await store.queueSize('q'), 1);
        assert.equal(await store.ack('q', 'm1', second.leaseToken), true);
        assert.equal(await store.queueSize('q'), 0);
      });

      contract('ack removes the item for good; a wrong token, id or queue removes nothing', async ({ store, elapse }) => {
        await store.enqueue('q', { id: 'm1', payload: 'p' });
        await store.enqueue('q', { id: 'm2', payload: 'p' });
        const leased = await store.lease('q', SHORT);
        assert.ok(leased);
        assert.equal(await store.ack('q', 'm1', 'not-the-token'), false);
        assert.equal(await store.ack('q', 'm2', leased.leaseToken), false);
        assert.equal(await store.ack('other', 'm1', leased.leaseToken), false);
        assert.equal(await store.queueSize('q'), 2);
        assert.equal(await store.ack('q', 'm1', leased.leaseToken), true);
        assert.equal(await store.ack('q', 'm1', leased.leaseToken), false, 'already gone');
        await elapse(PAST);
        assert.equal((await store.lease('q', LONG))?.id, 'm2', 'the acked item never comes back');
        assert.equal(await store.lease('q', LONG), undefined);
      });

      contract('a lease token stays good after expiry until someone else leases the item', async ({ store, elapse }) => {
        await store.enqueue('q', { id: 'slow', payload: 'p' });
        await store.enqueue('q', { id: 'late', payload: 'p' });
        const slow = await store.lease('q', SHORT);
        const late = await store.lease('q', SHORT);
        assert.ok(slow && late);
        await elapse(PAST);
        // A worker that overran its lease but was not replaced may still finish: no duplicate delivery.
        assert.equal(await store.ack('q', slow.id, slow.leaseToken), true);
        assert.equal(await store.retry('q', late.id, late.leaseToken, 0), true);
        assert.equal(await store.queueSize('q'), 1);
      });

      contract('retry makes the item available again after the delay; attempts keep counting', async ({ store, elapse }) => {
        await store.enqueue('q', { id: 'm1', payload: 'p' });
        const first = await store.lease('q', LONG);
        assert.ok(first);
        assert.equal(await store.retry('q', 'm1', first.leaseToken, SHORT), true);
        assert.equal(await store.lease('q', LONG), undefined, 'not before the delay');
        assert.equal(await store.retry('q', 'm1', first.leaseToken, 0), false, 'retry ended that lease');
        await elapse(PAST);
        const second = await store.lease('q', LONG);
        assert.equal(second?.attempts, 2);
        assert.ok(second);
        assert.equal(await store.retry('q', 'm1', second.leaseToken, 0), true);
        const third = await store.lease('q', LONG);
        assert.equal(third?.attempts, 3);
        assert.equal(third?.payload, 'p');
        assert.equal(await store.ack('q', 'm1', second.leaseToken), false);
        assert.ok(third);
        assert.equal(await store.ack('q', 'm1', third.leaseToken), true);
      });

      contract('queues are separate; queueSize counts leased and waiting items', async ({ store }) => {
        await store.enqueue('a', { id: 'x', payload: 'a-x' });
        await store.enqueue('a', { id: 'y', payload: 'a-y' });
        await store.enqueue('a', { id: 'z', payload: 'a-z', availableAt: FAR_FUTURE() });
        await store.enqueue('b', { id: 'x', payload: 'b-x' });
        assert.equal(await store.queueSize('a'), 3);
        assert.equal(await store.queueSize('b'), 1);
        assert.equal(await store.queueSize('none'), 0);
        await store.lease('a', LONG);
        assert.equal(await store.queueSize('a'), 3, 'a leased item still counts');
        assert.equal((await store.lease('b', LONG))?.payload, 'b-x');
        assert.equal(await store.lease('b', LONG), undefined);
      });
    });

    describe('queue groups', () => {
      const leaseAll = async (store: Store): Promise<string[]> => {
        const ids: string[] = [];
        for (let item = await store.lease('q', LONG); item; item = await store.lease('q', LONG)) ids.push(item.id);
        return ids;
      };

      contract('only the oldest item of a group is leasable, and not while it is leased', async ({ store }) => {
        await store.enqueue('q', { id: 'a1', payload: 'p', group: 'alice' });
        await store.enqueue('q', { id: 'a2', payload: 'p', group: 'alice' });
        await store.enqueue('q', { id: 'b1', payload: 'p', group: 'bob' });
        await store.enqueue('q', { id: 'free', payload: 'p' });
        await store.enqueue('q', { id: 'a3', payload: 'p', group: 'alice' });
        assert.deepEqual(await leaseAll(store), ['a1', 'b1', 'free'], 'one item per group at a time');
        assert.equal(await store.queueSize('q'), 5);
        assert.equal(await store.queueSize('q', 'alice'), 3);
        assert.equal(await store.queueSize('q', 'bob'), 1);
        assert.equal(await store.queueSize('q', 'nobody'), 0);
      });

      contract('acking a group item makes the next one of its group leasable, in enqueue order', async ({ store }) => {
        for (const id of ['m1', 'm2', 'm3']) await store.enqueue('q', { id, payload: id, group: 'alice' });
        const seen: string[] = [];
        for (let item = await store.lease('q', LONG); item; item = await store.lease('q', LONG)) {
          seen.push(item.payload);
          assert.equal(await store.lease('q', LONG), undefined, `nothing else while ${item.id} is leased`);
          assert.equal(await store.ack('q', item.id, item.leaseToken), true);
        }
        assert.deepEqual(seen, ['m1', 'm2', 'm3']);
        assert.equal(await store.queueSize('q', 'alice'), 0);
        await store.enqueue('q', { id: 'm4', payload: 'm4', group: 'alice' });
        assert.equal((await store.lease('q', LONG))?.id, 'm4', 'an emptied group starts afresh');
      });

      contract('a retried or expired group item keeps its place at the head of its group', async ({ store, elapse }) => {
        await store.enqueue('q', { id: 'm1', payload: 'p', group: 'g' });
        await store.enqueue('q', { id: 'm2', payload: 'p', group: 'g' });
        const first = await store.lease('q', LONG);
        assert.equal(first?.id, 'm1');
        assert.equal(await store.retry('q', 'm1', first.leaseToken, SHORT), true);
        assert.equal(await store.lease('q', LONG), undefined, 'm2 waits behind the retried m1');
        await elapse(PAST);
        const again = await store.lease('q', SHORT);
        assert.equal(again?.id, 'm1');
        await elapse(PAST); // its worker died
        const third = await store.lease('q', LONG);
        assert.equal(third?.id, 'm1', 'the expired lease hands m1 out again, not m2');
        assert.equal(third.attempts, 3);
        assert.equal(await store.ack('q', 'm1', third.leaseToken), true);
        assert.equal((await store.lease('q', LONG))?.id, 'm2');
      });

      contract('a lost lease acks nothing and frees nothing of the group', async ({ store, elapse }) => {
        await store.enqueue('q', { id: 'm1', payload: 'p', group: 'g' });
        await store.enqueue('q', { id: 'm2', payload: 'p', group: 'g' });
        const stale = await store.lease('q', SHORT);
        await elapse(PAST);
        const current = await store.lease('q', LONG);
        assert.ok(stale && current);
        assert.equal(await store.ack('q', 'm1', stale.leaseToken), false);
        assert.equal(await store.lease('q', LONG), undefined, 'm2 still waits');
      });

      contract('enqueue of an existing id in a group adds nothing', async ({ store }) => {
        await store.enqueue('q', { id: 'm1', payload: 'first', group: 'g' });
        await store.enqueue('q', { id: 'm1', payload: 'second', group: 'g' });
        assert.equal(await store.queueSize('q', 'g'), 1);
        const leased = await store.lease('q', LONG);
        assert.equal(leased?.payload, 'first');
        assert.equal(await store.ack('q', 'm1', leased.leaseToken), true);
        assert.equal(await store.lease('q', LONG), undefined);
      });

      contract('groups of different queues are separate', async ({ store }) => {
        await store.enqueue('q', { id: 'm1', payload: 'p', group: 'g' });
        await store.enqueue('r', { id: 'm1', payload: 'p', group: 'g' });
        assert.equal((await store.lease('q', LONG))?.id, 'm1');
        assert.equal((await store.lease('r', LONG))?.id, 'm1', 'not blocked by the same group name in queue q');
      });

      contract('purging the head of a group (by follower or by account) makes the next item leasable', async ({ store }) => {
        await store.enqueue('q', { id: 'a1', payload: 'p', group: 'mixed', owner: alice });
        await store.enqueue('q', { id: 'b1', payload: 'p', group: 'mixed', owner: bob });
        assert.equal((await store.lease('q', LONG))?.id, 'a1');
        assert.equal(await store.purgeOwner(alice), 1);
        assert.equal((await store.lease('q', LONG))?.id, 'b1');
        await store.enqueue('r', { id: 'x1', payload: 'p', group: 'g', owner: aliceOnOtherAccount });
        await store.enqueue('r', { id: 'x2', payload: 'p', group: 'g', owner: bob });
        assert.equal((await store.lease('r', LONG))?.id, 'x1');
        assert.equal(await store.purgeAccount('other'), 1);
        assert.equal((await store.lease('r', LONG))?.id, 'x2', 'so does purging a whole account');
      });
    });

    describe('locks', () => {
      contract('a lock is exclusive until released, and only its holder can release it', async ({ store }) => {
        const first = await store.acquireLock('token:main', LONG);
        assert.ok(first);
        assert.equal(await store.acquireLock('token:main', LONG), undefined);
        assert.ok(await store.acquireLock('token:other', LONG), 'locks are independent by name');
        assert.equal(await store.releaseLock('token:main', 'not-the-token'), false);
        assert.equal(await store.acquireLock('token:main', LONG), undefined, 'still held');
        assert.equal(await store.releaseLock('token:main', first), true);
        assert.equal(await store.releaseLock('token:main', first), false);
        const second = await store.acquireLock('token:main', LONG);
        assert.ok(second);
        assert.notEqual(second, first);
      });

      contract('a lock frees itself after its TTL; the old holder cannot release the new one', async ({ store, elapse }) => {
        const first = await store.acquireLock('refresh', SHORT);
        assert.ok(first);
        await elapse(PAST);
        const second = await store.acquireLock('refresh', LONG);
        assert.ok(second);
        assert.equal(await store.releaseLock('refresh', first), false);
        assert.equal(await store.acquireLock('refresh', LONG), undefined, 'the new holder still holds it');
        assert.equal(await store.releaseLock('refresh', second), true);
      });

      contract('locks do not collide with keys of the same name', async ({ store }) => {
        await store.set('refresh', 'value');
        assert.ok(await store.acquireLock('refresh', LONG));
        assert.equal(await store.get('refresh'), 'value');
        assert.equal(await store.claim('refresh', 'x'), false);
      });
    });

    describe('purge', () => {
      contract('purgeOwner removes every record and queue item of that follower, nothing else', async ({ store, elapse }) => {
        await store.set('expired:alice', 'x', { ttlMs: SHORT, owner: alice });
        await elapse(PAST);
        await store.set('conv:alice', 'c1', { owner: alice });
        await store.claim('job:alice', 'j', { ttlMs: LONG, owner: alice });
        await store.increment('quota:alice', { owner: alice });
        await store.enqueue('outbox', { id: 'a1', payload: 'p', owner: alice });
        await store.enqueue('outbox', { id: 'a2', payload: 'p', owner: alice });
        await store.set('conv:bob', 'c2', { owner: bob });
        await store.set('conv:alice@other', 'c3', { owner: aliceOnOtherAccount });
        await store.set('untagged', 'u');
        await store.enqueue('outbox', { id: 'b1', payload: 'p', owner: bob });
        await store.enqueue('outbox', { id: 'u1', payload: 'p' });

        assert.equal(await store.purgeOwner(alice), 5, 'expired records are not counted');
        for (const key of ['conv:alice', 'job:alice', 'quota:alice', 'expired:alice']) {
          assert.equal(await store.get(key), undefined, key);
        }
        assert.equal(await store.claim('job:alice', 'again'), true, 'a purged claim is gone');
        assert.equal(await store.get('conv:bob'), 'c2');
        assert.equal(await store.get('conv:alice@other'), 'c3');
        assert.equal(await store.get('untagged'), 'u');
        assert.equal(await store.queueSize('outbox'), 2);
        const left = [(await store.lease('outbox', LONG))?.id, (await store.lease('outbox', LONG))?.id].sort();
        assert.deepEqual(left, ['b1', 'u1']);
        assert.equal(await store.purgeOwner(alice), 0);
      });

      contract('purgeAccount removes every follower of that account, nothing else', async ({ store }) => {
        await store.set('conv:alice', 'c1', { owner: alice });
        await store.set('conv:bob', 'c2', { owner: bob, ttlMs: LONG });
        await store.enqueue('outbox', { id: 'a1', payload: 'p', owner: alice });
        await store.set('conv:alice@other', 'c3', { owner: aliceOnOtherAccount });
        await store.enqueue('outbox', { id: 'o1', payload: 'p', owner: aliceOnOtherAccount });
        await store.set('untagged', 'u');

        assert.equal(await store.purgeAccount('main'), 3);
        assert.equal(await store.get('conv:alice'), undefined);
        assert.equal(await store.get('conv:bob'), undefined);
        assert.equal(await store.get('conv:alice@other'), 'c3');
        assert.equal(await store.get('untagged'), 'u');
        assert.equal(await store.queueSize('outbox'), 1);
        assert.equal((await store.lease('outbox', LONG))?.id, 'o1');
        assert.equal(await store.purgeAccount('main'), 0);
      });
    });

    describe('concurrency', () => {
      contract('100 parallel claims of one key have exactly one winner', async ({ store }) => {
        const results = await Promise.all(
          Array.from({ length: 100 }, (_, i) => store.claim('job:main:o-alice:1', `worker-${i}`, { ttlMs: LONG })),
        );
        const winners = results.flatMap((won, i) => (won ? [i] : []));
        assert.equal(winners.length, 1);
        assert.equal(await store.get('job:main:o-alice:1'), `worker-${winners[0]}`);
      });

      contract('parallel increments, leases and lock attempts never double-count', async ({ store }) => {
        const counts = await Promise.all(Array.from({ length: 100 }, () => store.increment('hits')));
        assert.deepEqual(
          counts.sort((a, b) => a - b),
          Array.from({ length: 100 }, (_, i) => i + 1),
        );
        for (let i = 0; i < 10; i++) await store.enqueue('q', { id: `m${i}`, payload: 'p' });
        const leases = await Promise.all(Array.from({ length: 30 }, () => store.lease('q', LONG)));
        const ids = leases.flatMap((l) => (l ? [l.id] : []));
        assert.equal(ids.length, 10);
        assert.equal(new Set(ids).size, 10, 'no item leased twice');
        const tokens = await Promise.all(Array.from({ length: 20 }, () => store.acquireLock('refresh', LONG)));
        assert.equal(tokens.filter((t) => t !== undefined).length, 1);
      });
    });

    describe('arguments and lifecycle', () => {
      contract('durations no driver could honour are refused before anything is written', async ({ store }) => {
        for (const ttlMs of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
          await assert.rejects(store.set('k', 'v', { ttlMs }), { code: 'STORE_INVALID_ARGUMENT' }, `ttlMs ${ttlMs}`);
        }
        await assert.rejects(store.claim('k', 'v', { ttlMs: 0 }), { code: 'STORE_INVALID_ARGUMENT' });
        await assert.rejects(store.increment('k', { ttlMs: -1 }), { code: 'STORE_INVALID_ARGUMENT' });
        assert.equal(await store.get('k'), undefined);
        await assert.rejects(store.lease('q', 0), { code: 'STORE_INVALID_ARGUMENT' });
        await assert.rejects(store.acquireLock('l', 0), { code: 'STORE_INVALID_ARGUMENT' });
        await store.enqueue('q', { id: 'm1', payload: 'p' });
        const leased = await store.lease('q', LONG);
        assert.ok(leased);
        await assert.rejects(store.retry('q', 'm1', leased.leaseToken, -1), { code: 'STORE_INVALID_ARGUMENT' });
        assert.equal(await store.ack('q', 'm1', leased.leaseToken), true, 'the refused retry left the lease alone');
      });

      contract('ping answers until close; afterwards operations fail with STORE_CLOSED', async ({ store }) => {
        assert.equal(await store.ping(), true);
        assert.equal(typeof store.driver, 'string');
        await store.close();
        assert.equal(await store.ping(), false);
        await assert.rejects(store.get('k'), { code: 'STORE_CLOSED' });
        await assert.rejects(store.set('k', 'v'), { code: 'STORE_CLOSED' });
        await assert.rejects(store.lease('q', LONG), { code: 'STORE_CLOSED' });
        await store.close(); // closing twice is harmless
      });
    });
  });
}
