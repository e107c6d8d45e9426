import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startWechatSimulator, type WechatSimulator } from './index.js';
import { ApiClient, RID_SUFFIX } from './test-support/api-client.js';

describe('error envelope, fault injection and the IP whitelist (reference §9, §5.1)', () => {
  let sim: WechatSimulator;
  let api: ApiClient;
  let token: string;
  before(async () => {
    sim = await startWechatSimulator();
    api = new ApiClient(sim);
  });
  after(() => sim.close());
  beforeEach(async () => {
    sim.reset();
    token = await api.token();
  });

  test('errors are HTTP 200 JSON with the exact Content-Type and a rid suffix; ok answers have none', async () => {
    const res = await fetch(`${sim.apiBase}/cgi-bin/menu/get?access_token=${token}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json; encoding=utf-8');
    const body = (await res.json()) as { errcode: number; errmsg: string };
    assert.equal(body.errcode, 46003);
    assert.match(body.errmsg, /^menu no exist rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/);
    assert.deepEqual(await api.get('/cgi-bin/menu/delete', { access_token: token }), { errcode: 0, errmsg: 'ok' });
    assert.equal((await api.get('/cgi-bin/message/custom/send', { access_token: token })).errcode, 43002, 'POST-only endpoints refuse GET');
    assert.equal((await api.post('/cgi-bin/menu/create', token, '')).errcode, 44002);
    assert.equal((await api.get('/cgi-bin/no/such/api', { access_token: token })).errcode, 40066);
  });

  test('injected faults: -1 busy, 45009, 45011, consumed one call at a time, matched by path', async () => {
    const path = '/cgi-bin/draft/count';
    sim.injectFault({ path, errcode: -1, times: 2 });
    sim.injectFault({ path, errcode: 45011 });
    const codes: (number | undefined)[] = [];
    for (let i = 0; i < 4; i++) codes.push((await api.get(path, { access_token: token })).errcode);
    assert.deepEqual(codes, [-1, -1, 45011, undefined]);
    sim.injectFault({ path: '/cgi-bin/menu/get', errcode: 45009 });
    assert.equal((await api.get(path, { access_token: token })).errcode, undefined, 'another path is not affected');
    const quota = await api.get('/cgi-bin/menu/get', { access_token: token });
    assert.equal(quota.errcode, 45009);
    assert.match(quota.errmsg ?? '', /^reach max api daily quota limit rid: /);
    const busy = sim.calls({ path }).filter((c) => c.errcode === -1);
    assert.equal(busy.length, 2, 'faults are recorded in the call log');
  });

  test('an injected 40001 on a business API uses the modern errmsg; token endpoints can be faulted too', async () => {
    sim.injectFault({ path: '/cgi-bin/draft/count', errcode: 40001 });
    const r = await api.get('/cgi-bin/draft/count', { access_token: token });
    assert.equal(r.errcode, 40001);
    assert.match(r.errmsg ?? '', /^invalid credential, access_token is invalid or not latest, could get access_token by getStableAccessToken/);
    assert.match(r.errmsg ?? '', RID_SUFFIX);
    sim.injectFault({ path: '/cgi-bin/stable_token', errcode: -1 });
    assert.equal((await api.stableToken()).errcode, -1);
    assert.equal(typeof (await api.stableToken()).access_token, 'string');
  });

  test('faults can target one account', async () => {
    const other = sim.addAccount();
    const otherApi = new ApiClient(sim, other);
    const otherToken = await otherApi.token();
    sim.injectFault({ appId: other.appId, errcode: 45009 });
    assert.equal((await api.get('/cgi-bin/draft/count', { access_token: token })).errcode, undefined);
    assert.equal((await otherApi.get('/cgi-bin/draft/count', { access_token: otherToken })).errcode, 45009);
  });

  test('IP whitelist on: token endpoints and business APIs answer 40164 in the real errmsg format', async () => {
    sim.setCapability(sim.account.appId, { ipWhitelist: true });
    const t = await api.get('/cgi-bin/token', { grant_type: 'client_credential', appid: sim.account.appId, secret: sim.account.appSecret });
    assert.equal(t.errcode, 40164);
    assert.match(t.errmsg ?? '', /^invalid ip 127\.0\.0\.1 ipv6 ::ffff:127\.0\.0\.1, not in whitelist rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/);
    assert.equal((await api.stableToken()).errcode, 40164);
    assert.equal((await api.get('/cgi-bin/draft/count', { access_token: token })).errcode, 40164, 'a token fetched before does not help');
    sim.setCapability(sim.account.appId, { ipWhitelist: false });
    assert.equal((await api.get('/cgi-bin/draft/count', { access_token: token })).errcode, undefined);
  });

  test('the /_sim/ API mirrors the controls: capabilities, faults, token rotation, calls, reset', async () => {
    const base = `${sim.apiBase}/_sim`;
    const post = async (path: string, body?: unknown): Promise<unknown> => (await fetch(`${base}${path}`, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) })).json();
    const appId = sim.account.appId;
    assert.deepEqual(await post(`/accounts/${appId}/capabilities`, { verified: false }), { verified: false, ipWhitelist: false, publishStatus: 0 });
    assert.equal(sim.account.verified, false);
    await post('/faults', { path: '/cgi-bin/draft/count', errcode: -1 });
    assert.equal((await api.get('/cgi-bin/draft/count', { access_token: token })).errcode, -1);
    await post(`/accounts/${appId}/rotate-token`);
    assert.equal((await api.get('/cgi-bin/draft/count', { access_token: token })).errcode, 40001);
    const calls = (await (await fetch(`${base}/calls?path=/cgi-bin/draft/count`)).json()) as { errcode: number }[];
    assert.deepEqual(calls.map((c) => c.errcode), [-1, 40001]);
    const bad = await fetch(`${base}/faults`, { method: 'POST', body: JSON.stringify({ errcode: 'x' }) });
    assert.equal(bad.status, 400);
    assert.equal((await fetch(`${base}/accounts/wx0000000000000000/capabilities`)).status, 400);
    await post('/reset');
    assert.equal(sim.calls().length, 0);
    assert.equal(sim.account.verified, true);
    const accounts = (await (await fetch(`${base}/accounts`)).json()) as { appId: string; capabilities: unknown }[];
    assert.equal(accounts[0]?.appId, appId);
  });
});
