/**
 * Token failures and retries against the simulator over real HTTP: 40001/42001 recovery with compare-and-delete,
 * -1 backoff, no blind retries, and no token or secret in any error or log line.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { pino } from 'pino';
import { startWechatSimulator, type WechatSimulator } from '../../src/sim/wechat/index.js';
import { MemoryStore } from '../../src/store/index.js';
import { WeChatApiError, WeChatClient, WeChatTransportError, type WeChatClientOptions } from '../../src/wechat-api/index.js';

let sim: WechatSimulator;
before(async () => {
  sim = await startWechatSimulator({ port: 0 });
});
after(() => sim.close());
beforeEach(() => sim.reset());

const COUNT = '/cgi-bin/draft/count';
const STABLE = '/cgi-bin/stable_token';

function client(store = new MemoryStore(), extra: Partial<WeChatClientOptions> = {}): WeChatClient {
  const { appId, appSecret } = sim.account;
  return new WeChatClient({ appId, appSecret, store, apiBase: sim.apiBase, ...extra });
}

async function cachedToken(store: MemoryStore): Promise<string> {
  const raw = await store.get(`wechat:token:${sim.account.appId}:stable_token`);
  assert.ok(raw, 'a token is cached');
  return (JSON.parse(raw) as { accessToken: string }).accessToken;
}

const errcodes = (path: string): number[] => sim.calls({ path }).map((c) => c.errcode);

/** Every text an error exposes: message, stack, JSON, and the same for its causes. */
function exposed(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error; e instanceof Error; e = e.cause) parts.push(String(e), e.stack ?? '', JSON.stringify(e));
  return parts.join('\n');
}

function recordingSleep() {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
}

describe('token recovery (simulator)', () => {
  it('40001 after a server-side rotation: one refresh, the call succeeds', async () => {
    const store = new MemoryStore();
    const wx = client(store);
    await wx.draft.count();
    const before = await cachedToken(store);
    sim.rotateToken(sim.account.appId);
    assert.deepEqual(await wx.draft.count(), { total_count: 0 });
    assert.deepEqual(errcodes(COUNT), [0, 40001, 0]);
    assert.equal(sim.calls({ path: STABLE }).length, 2);
    assert.notEqual(await cachedToken(store), before);
  });

  it('42001 (expired on the platform, fresh by our clock): refresh and succeed', async () => {
    const wx = client();
    await wx.draft.count();
    sim.advanceClock(7201_000);
    await wx.draft.count();
    assert.deepEqual(errcodes(COUNT), [0, 42001, 0]);
    assert.equal(sim.calls({ path: STABLE }).length, 2);
  });

  it('a stale-token failure does not delete the newer token another process cached', async () => {
    const store = new MemoryStore();
    const other = client(store); // a second process sharing the store
    let race: (() => Promise<void>) | undefined;
    const racingFetch: typeof fetch = async (input, init) => {
      if (race && String(input).includes(COUNT)) {
        const run = race;
        race = undefined;
        await run();
      }
      return fetch(input, init);
    };
    const wx = client(store, { fetch: racingFetch });
    await wx.draft.count();
    const t1 = await cachedToken(store);
    // While our call with t1 is on its way, the platform rotates and the other process stores t2.
    race = async () => {
      sim.rotateToken(sim.account.appId);
      assert.equal(await other.accessToken.invalidate(t1), true);
      await other.accessToken.get();
    };
    await wx.draft.count();
    const t2 = await cachedToken(store);
    assert.notEqual(t2, t1);
    assert.deepEqual(errcodes(COUNT), [0, 40001, 0]);
    // t1's failure found t2 cached, kept it and retried with it: no third token request.
    assert.equal(sim.calls({ path: STABLE }).length, 2);
    assert.equal(await wx.accessToken.invalidate(t1), false);
    assert.equal(await cachedToken(store), t2);
  });

  it('retries a token failure only once', async () => {
    const wx = client();
    await wx.draft.count();
    sim.injectFault({ path: COUNT, errcode: 40001, times: 5 });
    const error = await wx.draft.count().catch((e: unknown) => e);
    assert.ok(error instanceof WeChatApiError);
    assert.equal(error.errcode, 40001);
    assert.match(error.hint ?? '', /even after a refresh/);
    assert.deepEqual(errcodes(COUNT), [0, 40001, 40001]);
  });

  it('-1 twice: retried with 200/400 ms backoff, third call succeeds', async () => {
    const { delays, sleep } = recordingSleep();
    const wx = client(new MemoryStore(), { sleep });
    await wx.accessToken.get();
    sim.injectFault({ path: COUNT, errcode: -1, times: 2 });
    assert.deepEqual(await wx.draft.count(), { total_count: 0 });
    assert.deepEqual(errcodes(COUNT), [-1, -1, 0]);
    assert.deepEqual(delays, [200, 400]);
  });

  it('-1 four times: the error surfaces after 3 retries', async () => {
    const { delays, sleep } = recordingSleep();
    const wx = client(new MemoryStore(), { sleep });
    await wx.accessToken.get();
    sim.injectFault({ path: COUNT, errcode: -1, times: 4 });
    await assert.rejects(wx.draft.count(), (e: unknown) => e instanceof WeChatApiError && e.errcode === -1 && e.path === COUNT);
    assert.deepEqual(errcodes(COUNT), [-1, -1, -1, -1]);
    assert.deepEqual(delays, [200, 400, 800]);
  });

  it('the busy backoff really sleeps when no sleep is injected (shrunken to 40 ms)', async () => {
    const wx = client(new MemoryStore(), { busyBackoffMs: 40 });
    await wx.accessToken.get();
    sim.injectFault({ path: COUNT, errcode: -1, times: 1 });
    const started = performance.now();
    await wx.draft.count();
    assert.ok(performance.now() - started >= 35, 'the retry came after the backoff, not at once');
    assert.deepEqual(errcodes(COUNT), [-1, 0]);
  });

  it('45009 is not retried', async () => {
    const { delays, sleep } = recordingSleep();
    const wx = client(new MemoryStore(), { sleep });
    await wx.accessToken.get();
    sim.injectFault({ path: COUNT, errcode: 45009, times: 3 });
    const error = await wx.draft.count().catch((e: unknown) => e);
    assert.ok(error instanceof WeChatApiError);
    assert.equal(error.errcode, 45009);
    assert.match(error.message, /daily API quota/);
    assert.deepEqual(errcodes(COUNT), [45009]);
    assert.deepEqual(delays, []);
  });

  it('40164 on the token endpoint names the whitelist and the IP', async () => {
    sim.setCapability(sim.account.appId, { ipWhitelist: true });
    const error = await client().draft.count().catch((e: unknown) => e);
    sim.setCapability(sim.account.appId, { ipWhitelist: false });
    assert.ok(error instanceof WeChatApiError);
    assert.equal(error.errcode, 40164);
    assert.equal(error.path, STABLE);
    assert.match(error.message, /add this server's egress IP \(.*127\.0\.0\.1.*\) to the IP whitelist/);
    assert.equal(sim.calls({ path: COUNT }).length, 0);
  });

  it('the token and the secret appear in no error and no log line', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) });
    const store = new MemoryStore();
    const wx = client(store, { logger, sleep: async () => undefined });
    await wx.draft.count();
    const token = await cachedToken(store);
    const errors: unknown[] = [];
    const collect = (p: Promise<unknown>) => p.then(() => assert.fail('expected an error'), (e: unknown) => void errors.push(e));

    sim.injectFault({ path: COUNT, errcode: 45009 });
    await collect(wx.draft.count());
    sim.injectFault({ path: COUNT, errcode: -1, times: 4 });
    await collect(wx.draft.count());
    sim.injectFault({ path: COUNT, errcode: 40001, times: 2 });
    await collect(wx.draft.count());
    sim.injectFault({ path: COUNT, errcode: 40014, errmsg: `invalid access_token ${token}`, times: 2 });
    await collect(wx.draft.count());
    sim.setCapability(sim.account.appId, { ipWhitelist: true });
    await collect(wx.draft.count());
    await collect(client(new MemoryStore(), { logger }).draft.count());
    sim.setCapability(sim.account.appId, { ipWhitelist: false });
    // A dead endpoint with the token cached: a transport error with a cause.
    const dead = client(store, { apiBase: 'http://127.0.0.1:9', logger });
    await collect(dead.draft.count());

    assert.equal(errors.length, 7);
    assert.ok(errors.at(-1) instanceof WeChatTransportError && (errors.at(-1) as Error).cause instanceof Error);
    for (const error of errors) {
      const text = exposed(error);
      assert.ok(!text.includes(token), `token leaked in: ${text}`);
      assert.ok(!text.includes(sim.account.appSecret), `secret leaked in: ${text}`);
    }
    const log = lines.join('');
    assert.ok(lines.length > 5, 'the logger was used');
    assert.ok(!log.includes(token) && !log.includes(sim.account.appSecret), 'no token or secret in the log');
  });
});
