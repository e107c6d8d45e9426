/**
 * The access token is shared: 50 concurrent calls make one token request; two processes on one SQLite file
 * make one token request between them; a later process reuses the stored token. Real simulator over HTTP,
 * real SQLite files, real child processes.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, beforeEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startWechatSimulator, type WechatSimulator } from '../../src/sim/wechat/index.js';
import { MemoryStore, SqliteStore } from '../../src/store/index.js';
import { WeChatClient, type WeChatTokenEndpoint } from '../../src/wechat-api/index.js';

const WORKER = fileURLToPath(new URL('./fixtures/token-worker.ts', import.meta.url));

let sim: WechatSimulator;
let dir: string;
before(async () => {
  sim = await startWechatSimulator({ port: 0 });
  dir = mkdtempSync(join(tmpdir(), 'mpgate-wechat-token-'));
});
after(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => sim.reset());

interface Worker {
  child: ChildProcessWithoutNullStreams;
  next(): Promise<Record<string, unknown>>;
}

function startWorker(dbPath: string, endpoint: WeChatTokenEndpoint, calls: number): Worker {
  const { appId, appSecret } = sim.account;
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify({ apiBase: sim.apiBase, appId, appSecret, dbPath, endpoint, calls })], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    child,
    async next() {
      const line = await lines.next();
      if (line.done) throw new Error(`worker exited early: ${stderr}`);
      return JSON.parse(line.value) as Record<string, unknown>;
    },
  };
}

/** Start the workers, let them all go at the same moment, and return what each reported. */
async function race(workers: Worker[]): Promise<Record<string, unknown>[]> {
  try {
    for (const w of workers) assert.deepEqual(await w.next(), { ready: true });
    const startAt = Date.now() + 150;
    for (const w of workers) w.child.stdin.write(`go ${startAt}\n`);
    return await Promise.all(workers.map((w) => w.next()));
  } finally {
    for (const w of workers) w.child.stdin.end();
  }
}

describe('access token sharing (simulator)', () => {
  it('50 concurrent calls on a cold cache make exactly 1 token request', async () => {
    const { appId, appSecret } = sim.account;
    const client = new WeChatClient({ appId, appSecret, store: new MemoryStore(), apiBase: sim.apiBase });
    const answers = await Promise.all(Array.from({ length: 50 }, () => client.draft.count()));
    assert.equal(answers.length, 50);
    assert.ok(answers.every((a) => a.total_count === 0));
    assert.equal(sim.calls({ path: '/cgi-bin/stable_token' }).length, 1);
    assert.equal(sim.calls({ path: '/cgi-bin/draft/count' }).filter((c) => c.errcode === 0).length, 50);
  });

  it('two processes sharing one SQLite file make 1 token request in total; a third process reuses the token', async () => {
    const dbPath = join(dir, 'shared-stable.db');
    const reports = await race([startWorker(dbPath, 'stable_token', 10), startWorker(dbPath, 'stable_token', 10)]);
    assert.deepEqual(reports, [
      { done: true, ok: 10, failures: [] },
      { done: true, ok: 10, failures: [] },
    ]);
    assert.equal(sim.calls({ path: '/cgi-bin/stable_token' }).length, 1);
    assert.equal(sim.calls({ path: '/cgi-bin/draft/count' }).filter((c) => c.errcode === 0).length, 20);

    // The next process started on the same file finds the token and asks for none.
    const [later] = await race([startWorker(dbPath, 'stable_token', 3)]);
    assert.deepEqual(later, { done: true, ok: 3, failures: [] });
    assert.equal(sim.calls({ path: '/cgi-bin/stable_token' }).length, 1);
    assert.equal(sim.calls({ path: '/cgi-bin/draft/count' }).length, 23);

    // The stored entry is under a key naming the AppID and endpoint, never the secret.
    const store = new SqliteStore({ path: dbPath, sweepIntervalMs: 0 });
    try {
      const cached = await store.get(`wechat:token:${sim.account.appId}:stable_token`);
      assert.ok(cached && JSON.parse(cached).accessToken);
      assert.ok(!cached.includes(sim.account.appSecret));
    } finally {
      await store.close();
    }
  });

  it('with /cgi-bin/token (each request invalidates the last) two processes still make 1 request', async () => {
    const dbPath = join(dir, 'shared-token.db');
    const reports = await race([startWorker(dbPath, 'token', 10), startWorker(dbPath, 'token', 10)]);
    assert.deepEqual(reports, [
      { done: true, ok: 10, failures: [] },
      { done: true, ok: 10, failures: [] },
    ]);
    assert.equal(sim.calls({ path: '/cgi-bin/token' }).length, 1);
    assert.equal(sim.calls({ path: '/cgi-bin/stable_token' }).length, 0);
  });
});
