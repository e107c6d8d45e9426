/**
 * The SQLite store shared by real processes: claims, leases and locks must hold across processes, and a
 * process killed with SIGKILL must not keep a lease or a lock beyond its TTL.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { SqliteStore } from './sqlite-store.js';

const WORKER = fileURLToPath(new URL('./test-support/store-worker.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Worker {
  child: ChildProcess;
  /** The next JSON line the worker prints. */
  next(): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startWorker(command: string, args: Record<string, unknown>): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, command, JSON.stringify(args)], {
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    exited,
    async next() {
      const line = await Promise.race([lines.next(), exited.then(() => ({ done: true as const, value: undefined }))]);
      if (line.done) throw new Error(`worker ${command} exited before printing (${JSON.stringify(await exited)})`);
      return JSON.parse(line.value) as Record<string, unknown>;
    },
  };
}

/** Tell ready workers to start at one shared moment, a little ahead so every process is listening. */
function startTogether(workers: Worker[]): void {
  const at = Date.now() + 50;
  for (const w of workers) w.child.stdin!.write(`go ${at}\n`);
}

async function killAll(workers: Worker[]): Promise<void> {
  for (const w of workers) {
    if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  }
  await Promise.all(workers.map((w) => w.exited));
}

function tempDbPath(): { path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'mpgate-xproc-'));
  return { path: join(dir, 'store.db'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Poll `attempt` every few ms until it returns something, or fail after `timeoutMs`. */
async function eventually<T>(what: string, timeoutMs: number, attempt: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await attempt();
    if (result !== undefined) return result;
    if (Date.now() > deadline) throw new Error(`${what}: still nothing after ${timeoutMs} ms`);
    await sleep(20);
  }
}

test('3 processes racing for the same 200 keys: each key is claimed exactly once overall', async () => {
  const db = tempDbPath(); // a fresh file: the workers also race to create the schema
  const names = ['p1', 'p2', 'p3'];
  // Two go through the keys in the same order (a head-on race for every key), one in reverse.
  const workers = names.map((name, i) => startWorker('claim-race', { path: db.path, keys: 200, name, descending: i === 2 }));
  try {
    for (const w of workers) assert.deepEqual(await w.next(), { ready: true });
    startTogether(workers);
    const won = await Promise.all(workers.map(async (w) => (await w.next()).won as number[]));
    for (const w of workers) assert.deepEqual(await w.exited, { code: 0, signal: null });

    const all = won.flat();
    assert.equal(all.length, 200, `claims won per process: ${won.map((k) => k.length).join(', ')}`);
    assert.equal(new Set(all).size, 200, 'no key was won twice');
    const store = new SqliteStore({ path: db.path });
    try {
      for (const [i, keys] of won.entries()) {
        for (const key of keys) assert.equal(await store.get(`job:${key}`), names[i], `job:${key}`);
      }
    } finally {
      await store.close();
    }
  } finally {
    await killAll(workers);
    db.remove();
  }
});

test('3 processes draining one queue: every item is leased and acknowledged exactly once', async () => {
  const db = tempDbPath();
  const setup = new SqliteStore({ path: db.path });
  const ids = Array.from({ length: 150 }, (_, i) => `m${i}`);
  for (const id of ids) await setup.enqueue('outbox', { id, payload: id });
  const workers = ['p1', 'p2', 'p3'].map((name) => startWorker('drain-queue', { path: db.path, queue: 'outbox', name }));
  try {
    for (const w of workers) assert.deepEqual(await w.next(), { ready: true });
    startTogether(workers);
    const acked = await Promise.all(workers.map(async (w) => (await w.next()).acked as string[]));
    for (const w of workers) assert.deepEqual(await w.exited, { code: 0, signal: null });
    assert.deepEqual(acked.flat().sort(), [...ids].sort());
    assert.equal(await setup.queueSize('outbox'), 0);
  } finally {
    await killAll(workers);
    await setup.close();
    db.remove();
  }
});

test('a process killed with SIGKILL while holding a lease: the item comes back after the lease (attempts = 2)', async () => {
  const db = tempDbPath();
  const leaseMs = 300;
  const store = new SqliteStore({ path: db.path });
  await store.enqueue('outbox', { id: 'answer:1', payload: '{"text":"hello"}' });
  const worker = startWorker('lease-and-hang', { path: db.path, queue: 'outbox', leaseMs });
  try {
    const { leased, at } = (await worker.next()) as { leased: { id: string; attempts: number; leaseToken: string }; at: number };
    assert.equal(leased.id, 'answer:1');
    assert.equal(leased.attempts, 1);
    worker.child.kill('SIGKILL');
    assert.equal((await worker.exited).signal, 'SIGKILL');

    // Only an attempt that *finished* before the lease ran out must find nothing (the machine may be slow).
    const early = await store.lease('outbox', 60_000);
    if (Date.now() < at + leaseMs) assert.equal(early, undefined, 'still leased');
    const again = early ?? (await eventually('re-lease', 5000, () => store.lease('outbox', 60_000)));
    assert.ok(Date.now() >= at + leaseMs, 'not before the dead worker’s lease ran out');
    assert.equal(again.id, 'answer:1');
    assert.equal(again.payload, '{"text":"hello"}');
    assert.equal(again.attempts, 2);
    assert.notEqual(again.leaseToken, leased.leaseToken);
    assert.equal(await store.ack('outbox', 'answer:1', leased.leaseToken), false, 'the dead worker’s token is void');
    assert.equal(await store.ack('outbox', 'answer:1', again.leaseToken), true);
  } finally {
    await killAll([worker]);
    await store.close();
    db.remove();
  }
});

test('a lock held by a process killed with SIGKILL frees itself after its TTL', async () => {
  const db = tempDbPath();
  const ttlMs = 300;
  const store = new SqliteStore({ path: db.path });
  const worker = startWorker('lock-and-hang', { path: db.path, lock: 'token-refresh:main', ttlMs });
  try {
    const { token, at } = (await worker.next()) as { token: string | undefined; at: number };
    assert.ok(token, 'the worker got the lock');
    worker.child.kill('SIGKILL');
    assert.equal((await worker.exited).signal, 'SIGKILL');

    // Only an attempt that *finished* before the dead holder's TTL ran out must fail (the machine may be slow).
    const early = await store.acquireLock('token-refresh:main', 60_000);
    if (Date.now() < at + ttlMs) assert.equal(early, undefined, 'still held');
    const mine = early ?? (await eventually('lock', 5000, () => store.acquireLock('token-refresh:main', 60_000)));
    assert.ok(Date.now() >= at + ttlMs, 'not before the dead holder’s TTL ran out');
    assert.notEqual(mine, token);
    assert.equal(await store.releaseLock('token-refresh:main', token), false);
    assert.equal(await store.releaseLock('token-refresh:main', mine), true);
  } finally {
    await killAll([worker]);
    await store.close();
    db.remove();
  }
});
