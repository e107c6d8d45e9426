import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ManualClock } from '../store/manual-clock.js';
import { MemoryStore } from '../store/memory-store.js';
import { AccessTokenManager, type AccessTokenManagerOptions } from './access-token.js';
import { ApiCore } from './api-core.js';
import { WeChatApiError } from './errors.js';
import { startScriptedServer, type RecordedRequest, type ScriptedAnswer } from './test-support/scripted-server.js';

const APP_ID = 'wx0123456789abcdef';
const SECRET = 'f00dfeedf00dfeedf00dfeedf00dfeed';

/** A token endpoint that issues `tok-1`, `tok-2` … (after `delayMs`), each valid `expiresIn` seconds. */
async function tokenServer(options: { expiresIn?: number; delayMs?: number; answer?: (req: RecordedRequest) => ScriptedAnswer | undefined } = {}) {
  let issued = 0;
  const server = await startScriptedServer(async (req) => {
    const custom = options.answer?.(req);
    if (custom) return custom;
    if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
    issued++;
    return { json: { access_token: `tok-${issued}`, expires_in: options.expiresIn ?? 7200 } };
  });
  after(() => server.close());
  return server;
}

function manager(apiBase: string, store: MemoryStore, extra: Partial<AccessTokenManagerOptions> = {}) {
  return new AccessTokenManager({ appId: APP_ID, appSecret: SECRET, store, core: new ApiCore({ apiBase }), ...extra });
}

describe('AccessTokenManager', () => {
  it('makes one stable_token request for 50 concurrent callers on a cold cache', async () => {
    const server = await tokenServer({ delayMs: 30 });
    const store = new MemoryStore();
    const tokens = manager(server.apiBase, store);
    const got = await Promise.all(Array.from({ length: 50 }, () => tokens.get()));
    assert.equal(server.requests.length, 1);
    assert.deepEqual(new Set(got), new Set(['tok-1']));
    const [req] = server.requests;
    assert.equal(req?.method, 'POST');
    assert.equal(req?.path, '/cgi-bin/stable_token');
    assert.deepEqual(JSON.parse(req?.body.toString() ?? ''), { grant_type: 'client_credential', appid: APP_ID, secret: SECRET });
    assert.equal(tokens.cacheKey, `wechat:token:${APP_ID}:stable_token`);
    assert.ok(!tokens.cacheKey.includes(SECRET) && !tokens.lockName.includes(SECRET));
    assert.equal(JSON.parse((await store.get(tokens.cacheKey)) ?? '{}').accessToken, 'tok-1');
  });

  it('uses the cache until less than 300 s remain, then refreshes once', async () => {
    const server = await tokenServer();
    const clock = new ManualClock(1_700_000_000_000);
    const store = new MemoryStore({ now: clock.now });
    const tokens = manager(server.apiBase, store, { now: clock.now });
    assert.equal(await tokens.get(), 'tok-1');
    clock.advance((7200 - 301) * 1000);
    assert.equal(await tokens.get(), 'tok-1');
    assert.equal(server.requests.length, 1);
    clock.advance(2000);
    assert.equal(await tokens.get(), 'tok-2');
    assert.equal(await tokens.get(), 'tok-2');
    assert.equal(server.requests.length, 2);
  });

  it('does not refresh a short-lived token on every call (refreshes half-way at the earliest)', async () => {
    const server = await tokenServer({ expiresIn: 400 });
    const clock = new ManualClock(1_700_000_000_000);
    const tokens = manager(server.apiBase, new MemoryStore({ now: clock.now }), { now: clock.now });
    await tokens.get();
    clock.advance(150_000);
    await tokens.get();
    assert.equal(server.requests.length, 1);
    clock.advance(60_000);
    await tokens.get();
    assert.equal(server.requests.length, 2);
  });

  it('invalidates only the token that failed (compare-and-delete)', async () => {
    const server = await tokenServer();
    const store = new MemoryStore();
    const tokens = manager(server.apiBase, store);
    assert.equal(await tokens.get(), 'tok-1');
    // Another process already replaced it: a late failure of tok-1 must not delete the newer token.
    const newer = JSON.stringify({ accessToken: 'tok-newer', expiresAt: Date.now() + 7_000_000, refreshAt: Date.now() + 6_000_000 });
    await store.set(tokens.cacheKey, newer);
    assert.equal(await tokens.invalidate('tok-1'), false);
    assert.equal(await store.get(tokens.cacheKey), newer);
    assert.equal(await tokens.get(), 'tok-newer');
    assert.equal(await tokens.invalidate('tok-newer'), true);
    assert.equal(await store.get(tokens.cacheKey), undefined);
    assert.equal(await tokens.get(), 'tok-2');
    assert.equal(server.requests.length, 2);
  });

  it('two managers on one store (as two processes) make one request: the loser waits for the lock', async () => {
    const server = await tokenServer({ delayMs: 150 });
    const store = new MemoryStore();
    const a = manager(server.apiBase, store, { lockPollMs: 10 });
    const b = manager(server.apiBase, store, { lockPollMs: 10 });
    const got = await Promise.all([a.get(), b.get(), a.get(), b.get()]);
    assert.deepEqual(got, ['tok-1', 'tok-1', 'tok-1', 'tok-1']);
    assert.equal(server.requests.length, 1);
  });

  it('requests a token anyway when the lock holder never finishes', async () => {
    const server = await tokenServer();
    const store = new MemoryStore();
    const tokens = manager(server.apiBase, store, { lockWaitMs: 60, lockPollMs: 10 });
    const stuck = await store.acquireLock(tokens.lockName, 60_000);
    assert.ok(stuck);
    assert.equal(await tokens.get(), 'tok-1');
    assert.equal(server.requests.length, 1);
  });

  it('uses /cgi-bin/token (GET) when selected, under its own key', async () => {
    const server = await tokenServer();
    const tokens = manager(server.apiBase, new MemoryStore(), { endpoint: 'token' });
    assert.equal(await tokens.get(), 'tok-1');
    const [req] = server.requests;
    assert.equal(req?.method, 'GET');
    assert.equal(req?.path, '/cgi-bin/token');
    assert.equal(req?.query.get('grant_type'), 'client_credential');
    assert.equal(req?.query.get('appid'), APP_ID);
    assert.equal(tokens.cacheKey, `wechat:token:${APP_ID}:token`);
  });

  it('surfaces a token-endpoint error with its hint and without the secret', async () => {
    const server = await tokenServer({
      answer: () => ({ json: { errcode: 40164, errmsg: `invalid ip 47.98.45.15 ipv6 ::ffff:47.98.45.15, not in whitelist rid: 65600f20-75e4a0e4-340ade0d` } }),
    });
    const tokens = manager(server.apiBase, new MemoryStore(), { endpoint: 'token' });
    const error = await tokens.get().catch((e: unknown) => e);
    assert.ok(error instanceof WeChatApiError);
    assert.equal(error.errcode, 40164);
    assert.equal(error.path, '/cgi-bin/token');
    assert.match(error.message, /add this server's egress IP \(47\.98\.45\.15\) to the IP whitelist/);
    assert.ok(!`${String(error)}${error.stack}${JSON.stringify(error)}`.includes(SECRET));
    // A failed refresh leaves nothing cached and the next call tries again.
    await tokens.get().catch(() => undefined);
    assert.equal(server.requests.length, 2);
  });
});
