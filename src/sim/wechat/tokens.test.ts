import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startWechatSimulator, type WechatSimulator } from './index.js';
import { ApiClient, RID_SUFFIX, manualClock } from './test-support/api-client.js';

const MIN = 60_000;

describe('access tokens (reference §5)', () => {
  const clock = manualClock();
  let sim: WechatSimulator;
  let api: ApiClient;
  before(async () => {
    sim = await startWechatSimulator({ now: clock.now });
    api = new ApiClient(sim);
  });
  after(() => sim.close());
  beforeEach(() => sim.reset());

  const count = (token: string): Promise<{ errcode?: number; errmsg?: string }> => api.get('/cgi-bin/draft/count', { access_token: token });

  test('/cgi-bin/token issues a new token each call; the old one works 5 more minutes, then 40001', async () => {
    const first = await api.get('/cgi-bin/token', { grant_type: 'client_credential', appid: sim.account.appId, secret: sim.account.appSecret });
    assert.equal(first.expires_in, 7200);
    assert.equal(first.errcode, undefined, 'success has no errcode');
    const t1 = first.access_token as string;
    const t2 = await api.token();
    assert.notEqual(t1, t2);
    sim.advanceClock(4 * MIN + 59_000);
    assert.equal((await count(t1)).errcode, undefined, 'old token still valid inside the overlap');
    assert.equal((await count(t2)).errcode, undefined);
    sim.advanceClock(1000);
    const stale = await count(t1);
    assert.equal(stale.errcode, 40001);
    assert.match(stale.errmsg ?? '', /^invalid credential, access_token is invalid or not latest/);
    assert.match(stale.errmsg ?? '', RID_SUFFIX);
    assert.equal((await count(t2)).errcode, undefined, 'the new token keeps working');
  });

  test('a token past its 7200 s answers 42001', async () => {
    const t = await api.token();
    sim.advanceClock(7200_000 - 1000);
    assert.equal((await count(t)).errcode, undefined);
    sim.advanceClock(1000);
    assert.equal((await count(t)).errcode, 42001);
  });

  test('stable_token returns the same token with the remaining expires_in, and rotates 5 minutes before expiry', async () => {
    const a = await api.stableToken();
    assert.equal(a.expires_in, 7200);
    sim.advanceClock(3600_000);
    const b = await api.stableToken();
    assert.equal(b.access_token, a.access_token);
    assert.equal(b.expires_in, 3600);
    sim.advanceClock(3300_000 + 1000); // 299 s left: below the 300 s floor
    const c = await api.stableToken();
    assert.notEqual(c.access_token, a.access_token);
    assert.equal(c.expires_in, 7200);
    assert.equal((await count(a.access_token as string)).errcode, undefined, 'old and new overlap until the old one expires');
    sim.advanceClock(299_000);
    assert.equal((await count(a.access_token as string)).errcode, 42001);
    assert.equal((await count(c.access_token as string)).errcode, undefined);
  });

  test('every returned stable token has expires_in >= 300', async () => {
    await api.stableToken();
    for (let i = 0; i < 30; i++) {
      sim.advanceClock(4 * MIN + 7000);
      const r = await api.stableToken();
      assert.ok((r.expires_in as number) >= 300, `expires_in ${String(r.expires_in)} at step ${i}`);
    }
  });

  test('force_refresh invalidates the old stable token at once, but not twice within 30 s', async () => {
    const a = (await api.stableToken()).access_token as string;
    sim.advanceClock(1000);
    const b = (await api.stableToken(true)).access_token as string;
    assert.notEqual(b, a);
    assert.equal((await count(a)).errcode, 40001, 'no overlap after a forced refresh');
    sim.advanceClock(29_000);
    const c = (await api.stableToken(true)).access_token as string;
    assert.equal(c, b, 'a second force within 30 s does not refresh');
    sim.advanceClock(1000);
    const d = (await api.stableToken(true)).access_token as string;
    assert.notEqual(d, b);
  });

  test('force_refresh refreshes at most 20 times a day', async () => {
    let last = (await api.stableToken()).access_token as string;
    for (let i = 0; i < 20; i++) {
      sim.advanceClock(31_000);
      const t = (await api.stableToken(true)).access_token as string;
      assert.notEqual(t, last, `forced refresh ${i + 1}`);
      last = t;
    }
    sim.advanceClock(31_000);
    assert.equal((await api.stableToken(true)).access_token, last, 'the 21st forced refresh of the day is ignored');
  });

  test('the two token families are isolated', async () => {
    const stable = (await api.stableToken()).access_token as string;
    await api.token();
    await api.token();
    sim.advanceClock(6 * MIN);
    assert.equal((await count(stable)).errcode, undefined, '/token calls do not supersede the stable token');
    const classic = await api.token();
    await api.stableToken(true);
    assert.equal((await count(classic)).errcode, undefined, 'a forced stable refresh does not touch /token tokens');
  });

  test('credential errors: 40002, 41002, 41004, 40013, 40125; 43002 on GET stable_token', async () => {
    const { appId, appSecret } = sim.account;
    const q = (o: Record<string, string>): Promise<{ errcode?: number }> => api.get('/cgi-bin/token', o);
    assert.equal((await q({ grant_type: 'password', appid: appId, secret: appSecret })).errcode, 40002);
    assert.equal((await q({ grant_type: 'client_credential', secret: appSecret })).errcode, 41002);
    assert.equal((await q({ grant_type: 'client_credential', appid: appId })).errcode, 41004);
    assert.equal((await q({ grant_type: 'client_credential', appid: 'wx0000000000000000', secret: appSecret })).errcode, 40013);
    const bad = await q({ grant_type: 'client_credential', appid: appId, secret: 'x'.repeat(32) });
    assert.equal(bad.errcode, 40125);
    const s = await api.post('/cgi-bin/stable_token', undefined, { grant_type: 'client_credential', appid: appId, secret: 'nope' });
    assert.equal(s.errcode, 40125);
    assert.equal((await api.get('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: appId, secret: appSecret })).errcode, 43002);
  });

  test('business APIs check access_token: 41001 missing, 40014 malformed, 40001 unknown', async () => {
    assert.equal((await api.get('/cgi-bin/draft/count')).errcode, 41001);
    assert.equal((await count('not a token!')).errcode, 40014);
    assert.equal((await count(`99_${'A'.repeat(130)}`)).errcode, 40001);
  });

  test('rotateToken makes every current token fail with 40001; a new stable_token works', async () => {
    const s = (await api.stableToken()).access_token as string;
    const t = await api.token();
    sim.rotateToken(sim.account.appId);
    assert.equal((await count(s)).errcode, 40001);
    assert.equal((await count(t)).errcode, 40001);
    const fresh = (await api.stableToken()).access_token as string;
    assert.notEqual(fresh, s);
    assert.equal((await count(fresh)).errcode, undefined);
  });

  test('the /token daily quota ends in 45009 and clear_quota resets it', async () => {
    const small = await startWechatSimulator({ now: clock.now, dailyQuotas: { '/cgi-bin/token': 2 } });
    try {
      const c = new ApiClient(small);
      const t = await c.token();
      await c.token();
      const third = await c.get('/cgi-bin/token', { grant_type: 'client_credential', appid: small.account.appId, secret: small.account.appSecret });
      assert.equal(third.errcode, 45009);
      assert.match(third.errmsg ?? '', /^reach max api daily quota limit rid: /);
      assert.equal((await c.post('/cgi-bin/clear_quota', t, { appid: small.account.appId })).errcode, 0);
      assert.equal(typeof (await c.token()), 'string');
    } finally {
      await small.close();
    }
  });

  test('the call log attributes calls to the account and never records the token', async () => {
    const t = await api.token();
    await count(t);
    const calls = sim.calls({ appId: sim.account.appId });
    assert.deepEqual(calls.map((c) => [c.path, c.errcode]), [['/cgi-bin/token', 0], ['/cgi-bin/draft/count', 0]]);
    assert.ok(!JSON.stringify(sim.calls()).includes(t));
    assert.ok(!JSON.stringify(sim.calls()).includes(sim.account.appSecret));
  });
});
