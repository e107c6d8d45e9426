import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { QueueSchedule, type ScheduledItem } from './queue-schedule.js';

/** The order a full scan would pick: earliest availableAt at or before now, then enqueue order. */
function scanPick(items: Map<string, ScheduledItem>, now: number): string | undefined {
  let best: [string, ScheduledItem] | undefined;
  for (const entry of items) {
    const [, item] = entry;
    if (item.availableAt > now) continue;
    if (!best || item.availableAt < best[1].availableAt || (item.availableAt === best[1].availableAt && item.seq < best[1].seq)) best = entry;
  }
  return best?.[0];
}

test('the heap picks exactly what a full scan would, through random schedules, takes and removals', () => {
  const op = fc.oneof(
    fc.record({ kind: fc.constant('add' as const), at: fc.integer({ min: 0, max: 50 }) }),
    fc.record({ kind: fc.constant('take' as const), now: fc.integer({ min: 0, max: 60 }), requeueIn: fc.integer({ min: 0, max: 30 }) }),
    fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
      const schedule = new QueueSchedule();
      const items = new Map<string, ScheduledItem>();
      let seq = 0;
      for (const o of ops) {
        if (o.kind === 'add') {
          const id = `i${seq}`;
          const item = { availableAt: o.at, seq: seq++, version: 0 };
          items.set(id, item);
          schedule.schedule(id, item);
        } else if (o.kind === 'take') {
          const expected = scanPick(items, o.now);
          const got = schedule.next(o.now, (id) => items.get(id), items.size);
          assert.equal(got, expected);
          if (got !== undefined) {
            const item = items.get(got)!;
            item.availableAt = o.now + o.requeueIn; // leased: back at the lease's end
            item.version++;
            schedule.schedule(got, item);
          }
        } else if (items.size > 0) {
          const ids = [...items.keys()];
          items.delete(ids[o.pick % ids.length]!);
        }
      }
    }),
    { numRuns: 300 },
  );
});

test('thousands of stale slots (items acked at once) are skipped without changing the answer', () => {
  const schedule = new QueueSchedule();
  const items = new Map<string, ScheduledItem>();
  for (let i = 0; i < 5000; i++) {
    const item = { availableAt: 1_000_000 + i, seq: i, version: 0 };
    items.set(`i${i}`, item);
    schedule.schedule(`i${i}`, item);
    items.delete(`i${i}`); // acked right away: its slot is stale and due far in the future
  }
  items.set('live', { availableAt: 0, seq: 99_999, version: 0 });
  schedule.schedule('live', items.get('live')!);
  assert.equal(schedule.next(1, (id) => items.get(id), items.size), 'live');
  assert.equal(schedule.next(2_000_000, (id) => items.get(id), items.size), undefined);
});
