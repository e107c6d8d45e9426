/**
 * Store throughput: `node --import tsx bench/store.ts` (about 15 s).
 * Sequential awaited calls from one caller, as the webhook hot path makes them; every write changes the row
 * (SQLite skips rewriting identical rows, which would flatter the figures).
 * Baseline, measured in the same run and interleaved with the driver: the SQLite driver's own prepared
 * statements called directly on the same schema and pragmas, so "store / raw" is what the Store layer
 * (async API, argument checks, error wrapping, group commit) costs on top of SQLite itself.
 * Then one webhook message's store work (6 writes, 1 read, each awaited) run by 1 and by 20 concurrent flows,
 * in messages/s: what group commit is for. Each figure is the best of 2 rounds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MemoryStore } from '../src/store/memory-store.js';
import { MIGRATIONS } from '../src/store/sqlite-schema.js';
import { prepareStatements } from '../src/store/sqlite-statements.js';
import { SqliteStore } from '../src/store/sqlite-store.js';
import type { Store } from '../src/store/store.js';

const BUDGET_MS = Number(process.env.BENCH_STORE_MS ?? 250);
const ROUNDS = 2;
const BATCH = 128;
/** Concurrent flows in the "one message" rows: about what 10 keep-alive connections keep in flight. */
const FLOWS = [1, 20];
const KEYS = 1000;
const owner = { account: 'main', openid: 'o-bench-follower-0123456789' };
const answer = '这是一个测试回答。'.repeat(20); // ~540 bytes, a typical pending answer

type Op = (i: number) => unknown;
/** One benchmark row: the operation, plus untimed work to do before each batch (e.g. enqueue what lease takes). */
interface Row {
  op: Op;
  before?: (from: number, count: number) => Promise<void>;
}

/** Ops per second of `row` over BUDGET_MS of timed batches, after a short warm-up. Counters carry on between rounds. */
async function measure(row: Row, counter: { next: number }): Promise<number> {
  const run = async () => {
    const from = counter.next;
    counter.next += BATCH;
    await row.before?.(from, BATCH);
    const start = performance.now();
    for (let i = from; i < from + BATCH; i++) await row.op(i);
    return performance.now() - start;
  };
  for (const until = performance.now() + BUDGET_MS / 5; performance.now() < until; ) await run();
  let timed = 0;
  let count = 0;
  while (timed < BUDGET_MS) {
    timed += await run();
    count += BATCH;
  }
  return (count / timed) * 1000;
}

function storeRows(store: Store): Record<string, Row> {
  return {
    claim: { op: (i) => store.claim(`job:main:o-bench:${i}`, 'processing', { ttlMs: 600_000, owner }) },
    get: { op: (i) => store.get(`conv:${i % KEYS}`) },
    set: { op: (i) => store.set(`conv:${i % KEYS}`, `${answer}${i}`, { ttlMs: 600_000, owner }) },
    increment: { op: (i) => store.increment(`quota:${i % 100}`, { ttlMs: 600_000 }) },
    enqueue: { op: (i) => store.enqueue('bench-enqueue', { id: `m${i}`, payload: answer, owner }) },
    'lease+ack': {
      op: async () => {
        const item = await store.lease('bench', 30_000);
        if (!item || !(await store.ack('bench', item.id, item.leaseToken))) throw new Error('lease+ack failed');
      },
      before: async (from, count) => {
        for (let i = from; i < from + count; i++) await store.enqueue('bench', { id: `m${i}`, payload: answer, owner });
      },
    },
  };
}

/** The same operations as the driver runs them, minus the Store layer. */
function rawRows(path: string): { rows: Record<string, Row>; close(): void } {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  for (const migration of MIGRATIONS) db.exec(migration);
  const sql = prepareStatements(db);
  const write = (key: string, value: string) => ({
    key,
    value,
    expiresAt: Date.now() + 600_000,
    ownerAccount: owner.account,
    ownerOpenid: owner.openid,
  });
  return {
    rows: {
      claim: { op: (i) => sql.kvClaim.run({ ...write(`job:main:o-bench:${i}`, 'processing'), now: Date.now() }).changes },
      get: { op: (i) => sql.kvGet.get({ key: `conv:${i % KEYS}`, now: Date.now() }) },
      set: { op: (i) => sql.kvSet.run(write(`conv:${i % KEYS}`, `${answer}${i}`)) },
    },
    close: () => db.close(),
  };
}

async function seed(store: Store): Promise<void> {
  for (let i = 0; i < KEYS; i++) await store.set(`conv:${i}`, answer, { ttlMs: 600_000, owner });
}

/**
 * One message's store calls in the gateway's order when the answer is handed over locally (docs/delivery-engine.md):
 * nonce claim, job claim, enqueue in its follower's group, lease, job read, compare-and-set, ack. A flow may lease
 * another flow's item; every lease finds one, since each flow enqueues first (and every message has a follower of
 * its own, so none waits behind another).
 */
async function oneMessage(store: Store, i: number): Promise<void> {
  const id = `b${i}`;
  const job = `job:main:o-bench:${id}`;
  const check = (ok: unknown, what: string) => {
    if (!ok) throw new Error(`one message ${id}: ${what} failed`);
  };
  const queued = '{"state":"queued","firstAt":1}';
  check(await store.claim(`nonce:${id}`, '1', { ttlMs: 300_000 }), 'nonce claim');
  check(await store.claim(job, queued, { ttlMs: 600_000, owner }), 'job claim');
  await store.enqueue('inbox', { id, payload: answer, group: `main:o-bench-${id}`, owner });
  const inbox = await store.lease('inbox', 30_000);
  check(inbox, 'inbox lease');
  check((await store.get(job)) === queued, 'job read');
  check(await store.compareAndSet(job, queued, '{"state":"delivered","firstAt":1}', { ttlMs: 600_000 }), 'delivered');
  check(await store.ack('inbox', inbox!.id, inbox!.leaseToken), 'inbox ack');
}

/** Messages per second with `flows` concurrent callers each running one message after another for BUDGET_MS. */
async function measureFlows(store: Store, flows: number, counter: { next: number }): Promise<number> {
  const runFor = async (ms: number) => {
    const until = performance.now() + ms;
    let done = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: flows }, async () => {
        while (performance.now() < until) {
          await oneMessage(store, counter.next++);
          done++;
        }
      }),
    );
    return (done / (performance.now() - start)) * 1000;
  };
  await runFor(BUDGET_MS / 5);
  return runFor(BUDGET_MS * 2);
}

function fmt(n: number | undefined): string {
  return n === undefined ? '' : Math.round(n).toLocaleString('en-US');
}

const dir = mkdtempSync(join(tmpdir(), 'mpgate-bench-store-'));
try {
  const memory = new MemoryStore({ sweepIntervalMs: 0 });
  const sqlite = new SqliteStore({ path: join(dir, 'store.db'), sweepIntervalMs: 0 });
  const raw = rawRows(join(dir, 'raw.db'));
  await seed(memory);
  await seed(sqlite);
  for (let i = 0; i < KEYS; i++) raw.rows.set!.op(i);

  const subjects = { memory: storeRows(memory), sqlite: storeRows(sqlite), raw: raw.rows };
  const results: Record<string, Record<string, number>> = { memory: {}, sqlite: {}, raw: {} };
  const counters = new Map<string, { next: number }>();
  for (const op of Object.keys(subjects.sqlite)) {
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, rows] of Object.entries(subjects)) {
        const row = (rows as Record<string, Row>)[op];
        if (!row) continue;
        const counter = counters.get(`${name}:${op}`) ?? { next: 0 };
        counters.set(`${name}:${op}`, counter);
        results[name]![op] = Math.max(results[name]![op] ?? 0, await measure(row, counter));
      }
    }
  }
  const flowResults: Record<string, Record<number, number>> = { memory: {}, sqlite: {} };
  for (const flows of FLOWS) {
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, store] of [['memory', memory], ['sqlite', sqlite]] as const) {
        const counter = counters.get(`${name}:message`) ?? { next: 0 };
        counters.set(`${name}:message`, counter);
        flowResults[name]![flows] = Math.max(flowResults[name]![flows] ?? 0, await measureFlows(store, flows, counter));
      }
    }
  }
  await memory.close();
  await sqlite.close();
  raw.close();

  // The webhook path per message: claim the job, read and write the conversation and the pending answer.
  const perMessage = (r: Record<string, number>) => 1 / (1 / r.claim! + 2 / r.get! + 2 / r.set!);
  for (const name of ['memory', 'sqlite', 'raw'] as const) results[name]!['message (claim + 2 get + 2 set)'] = perMessage(results[name]!);

  console.log(`node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} ×${cpus().length}; sqlite file in ${tmpdir()}`);
  console.log(`ops/s, one caller awaiting each call; best of ${ROUNDS} × ${BUDGET_MS} ms`);
  const header = ['operation', 'memory', 'sqlite', 'raw sqlite stmts', 'sqlite / raw'];
  const table = Object.keys(results.sqlite!).map((op) => {
    const s = results.sqlite![op];
    const r = results.raw![op];
    return [op, fmt(results.memory![op]), fmt(s), fmt(r), s && r ? (s / r).toFixed(2) : ''];
  });
  const widths = header.map((h, c) => Math.max(h.length, ...table.map((row) => row[c]!.length)));
  for (const row of [header, ...table]) {
    console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
  }
  console.log(`\nmessages/s, one message = 6 writes + 1 read, each awaited; best of ${ROUNDS} × ${BUDGET_MS * 2} ms`);
  for (const flows of FLOWS) {
    const m = flowResults.memory![flows];
    const q = flowResults.sqlite![flows];
    console.log(`one message, ${String(flows).padStart(2)} concurrent flow${flows === 1 ? ' ' : 's'}  memory ${fmt(m).padStart(9)}  sqlite ${fmt(q).padStart(7)}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
