/**
 * Shared set-up for the client's simulator tests: a simulator, a client on a real SQLite store in a temp dir,
 * and small files whose first bytes are those of real PNG/JPEG/GIF/AMR/MP3/MP4 files.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach } from 'node:test';
import { startWechatSimulator, type WechatSimulator } from '../../src/sim/wechat/index.js';
import { SqliteStore } from '../../src/store/index.js';
import { WeChatApiError, WeChatClient } from '../../src/wechat-api/index.js';

export interface Harness {
  sim: WechatSimulator;
  wx: WeChatClient;
  dir: string;
}

/** Registers before/after hooks: one simulator and one client per test file, the simulator reset before each test. */
export function useSimulator(): Harness {
  const h = {} as Harness;
  let store: SqliteStore;
  before(async () => {
    h.sim = await startWechatSimulator({ port: 0, publishDelayMs: 60_000 });
    h.dir = mkdtempSync(join(tmpdir(), 'mpgate-wechat-api-'));
    store = new SqliteStore({ path: join(h.dir, 'store.db'), sweepIntervalMs: 0 });
    const { appId, appSecret } = h.sim.account;
    h.wx = new WeChatClient({ appId, appSecret, store, apiBase: h.sim.apiBase });
  });
  after(async () => {
    await h.sim.close();
    await store.close();
    rmSync(h.dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    h.sim.reset();
    // reset() forgets the platform's tokens: drop ours too, so each test starts cold.
    await store.delete(`wechat:token:${h.sim.account.appId}:stable_token`);
  });
  return h;
}

const filled = (head: readonly number[] | string, size: number): Buffer => {
  const start = typeof head === 'string' ? Buffer.from(head, 'latin1') : Buffer.from(head);
  const body = Buffer.alloc(Math.max(0, size - start.length));
  for (let i = 0; i < body.length; i++) body[i] = (i * 31 + 7) & 0xff;
  return Buffer.concat([start, body]);
};

/** Files of `size` bytes that pass format detection. */
export const fixture = {
  png: (size = 2048) => filled([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], size),
  jpeg: (size = 2048) => filled([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00], size),
  gif: (size = 2048) => filled('GIF89a', size),
  amr: (size = 2048) => filled('#!AMR\n', size),
  mp3: (size = 2048) => filled('ID3\x04\x00', size),
  mp4: (size = 4096) => filled('\x00\x00\x00\x20ftypisom\x00\x00\x02\x00', size),
};

/** Await `promise`, expect a WeChatApiError with `errcode`, and return it. */
export async function expectApiError(promise: Promise<unknown>, errcode: number): Promise<WeChatApiError> {
  const error = await promise.then(
    () => assert.fail(`expected WeChat error ${errcode}`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof WeChatApiError, `expected WeChatApiError ${errcode}, got ${String(error)}`);
  assert.equal(error.errcode, errcode, error.message);
  return error;
}
