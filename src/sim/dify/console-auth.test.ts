import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDifySimulator, type DifySimulator } from './index.js';
import { base64Password, ConsoleSessionForTest } from './test-support/console.js';

/** Console login for each version family, cookies and CSRF, refresh, logout, lockout and admin-key mode. */

let sim: DifySimulator;
before(async () => {
  sim = await startDifySimulator({ version: '1.9.1' });
});
after(() => sim.close());

describe('≤ 1.9.1: tokens in the body, Bearer auth, GET logout', () => {
  test('login returns both tokens in data and sets no cookies; Bearer authenticates', async () => {
    sim.setVersion('1.9.1');
    sim.reset();
    const s = new ConsoleSessionForTest(sim.consoleBase);
    const res = await s.login(sim.credentials.email, sim.credentials.password);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-version'), '1.9.1');
    assert.deepEqual(res.headers.getSetCookie(), []);
    const body = (await res.json()) as { result: string; data: { access_token: string; refresh_token: string } };
    assert.equal(body.result, 'success');
    assert.match(body.data.access_token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.match(body.data.refresh_token, /^[0-9a-f]{128}$/);
    s.bearer = body.data.access_token;
    assert.equal((await s.call('/apps')).status, 200);
    const viaQuery = await fetch(`${sim.consoleBase}/apps?_token=${body.data.access_token}`);
    assert.equal(viaQuery.status, 200, 'the _token query parameter works too');

    const refreshed = await fetch(`${sim.consoleBase}/refresh-token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ refresh_token: body.data.refresh_token }) });
    const r = (await refreshed.json()) as { data: { access_token: string; refresh_token: string } };
    assert.notEqual(r.data.refresh_token, body.data.refresh_token, 'the refresh token rotates');
    const reused = await fetch(`${sim.consoleBase}/refresh-token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ refresh_token: body.data.refresh_token }) });
    assert.deepEqual([reused.status, await reused.json()], [401, { result: 'fail', data: 'Invalid refresh token' }]);

    s.bearer = r.data.access_token;
    assert.equal((await s.call('/logout', { method: 'POST' })).status, 405, 'logout is GET here');
    assert.deepEqual(await (await s.call('/logout')).json(), { result: 'success' });
  });

  test('no token → the login manager 401 without a status key; a garbage token → "Invalid token."', async () => {
    sim.setVersion('1.9.1');
    const none = await fetch(`${sim.consoleBase}/apps`);
    assert.equal(none.status, 401);
    assert.equal(await none.text(), '{"code": "unauthorized", "message": "Unauthorized."}');
    const bad = await fetch(`${sim.consoleBase}/apps`, { headers: { Authorization: 'Bearer nope' } });
    assert.deepEqual(await bad.json(), { code: 'unauthorized', message: 'Invalid token.', status: 401 });
  });
});

describe('1.9.2 – 1.11.1: cookies and a CSRF header on every request', () => {
  test('login sets access/csrf/refresh cookies; GET without X-CSRF-Token is refused; with it, accepted', async () => {
    sim.setVersion('1.10.1');
    sim.reset();
    const s = new ConsoleSessionForTest(sim.consoleBase);
    const res = await s.login(sim.credentials.email, sim.credentials.password);
    assert.deepEqual(await res.json(), { result: 'success' });
    const cookies = res.headers.getSetCookie();
    assert.deepEqual(cookies.map((c) => c.split('=')[0]).sort(), ['access_token', 'csrf_token', 'refresh_token']);
    assert.ok(cookies.find((c) => c.startsWith('access_token='))?.includes('HttpOnly'));
    assert.ok(!cookies.find((c) => c.startsWith('csrf_token='))?.includes('HttpOnly'), 'the csrf cookie is readable');
    const noCsrf = await s.call('/apps', { csrf: false });
    assert.deepEqual([noCsrf.status, ((await noCsrf.json()) as { message: string }).message], [401, 'CSRF token is missing or invalid.']);
    assert.equal((await s.call('/apps')).status, 200);
    const draftPath = `/apps/${sim.apps.find((a) => a.mode === 'workflow')?.id}/workflows/draft`;
    assert.equal((await s.call(draftPath, { csrf: false })).status, 200, 'the draft workflow path is CSRF-exempt');
    const b64 = new ConsoleSessionForTest(sim.consoleBase);
    assert.equal((await b64.login(sim.credentials.email, base64Password(sim.credentials.password))).status, 401, 'a Base64 password is taken literally');
    assert.equal((await s.call('/logout', { method: 'POST' })).status, 200);
    assert.equal(s.cookies.size, 0, 'logout clears the cookies');
  });

  test('on https the names get the __Host- prefix (unless COOKIE_DOMAIN is set from 1.10)', async () => {
    const secure = await startDifySimulator({ version: '1.10.1', secureCookies: true });
    const domain = await startDifySimulator({ version: '1.10.1', secureCookies: true, cookieDomain: '.example.com' });
    const old = await startDifySimulator({ version: '1.9.2', secureCookies: true, cookieDomain: '.example.com' });
    try {
      const names = async (s: DifySimulator) => {
        const sess = new ConsoleSessionForTest(s.consoleBase);
        const res = await sess.login(s.credentials.email, s.credentials.password);
        return { cookies: res.headers.getSetCookie(), sess };
      };
      const a = await names(secure);
      assert.deepEqual(a.cookies.map((c) => c.split('=')[0]).sort(), ['__Host-access_token', '__Host-csrf_token', '__Host-refresh_token']);
      assert.ok(a.cookies.every((c) => c.includes('Secure') && c.includes('Path=/') && c.includes('SameSite=Lax')));
      assert.equal((await a.sess.call('/apps')).status, 200, 'sent back by name over http, regardless of Secure');
      const b = await names(domain);
      assert.ok(b.cookies.every((c) => /^(access|csrf|refresh)_token=/.test(c) && c.includes('Domain=example.com')));
      const c = await names(old);
      assert.ok(c.cookies.every((x) => x.startsWith('__Host-')), '1.9.2 ignores COOKIE_DOMAIN for the prefix');
    } finally {
      await Promise.all([secure.close(), domain.close(), old.close()]);
    }
  });

  test('refresh reads the refresh cookie, rotates it and sets new cookies', async () => {
    sim.setVersion('1.10.1');
    sim.reset();
    const s = new ConsoleSessionForTest(sim.consoleBase);
    await s.login(sim.credentials.email, sim.credentials.password);
    const oldRefresh = s.cookies.get('refresh_token');
    sim.expireConsoleTokens();
    const expired = await s.call('/apps');
    assert.deepEqual(await expired.json(), { code: 'unauthorized', message: 'Token has expired.', status: 401 });
    const r = await s.call('/refresh-token', { method: 'POST' });
    assert.deepEqual(await r.json(), { result: 'success' });
    assert.notEqual(s.cookies.get('refresh_token'), oldRefresh);
    assert.equal((await s.call('/apps')).status, 200);
    const none = await fetch(`${sim.consoleBase}/refresh-token`, { method: 'POST' });
    assert.deepEqual([none.status, await none.json()], [401, { result: 'fail', message: 'No refresh token provided' }]);
    const stale = await fetch(`${sim.consoleBase}/refresh-token`, { method: 'POST', headers: { Cookie: `refresh_token=${oldRefresh}` } });
    assert.deepEqual([stale.status, await stale.json()], [401, { result: 'fail', message: 'Invalid refresh token' }]);
  });
});

describe('≥ 1.11.2: Base64 password', () => {
  test('Base64 logs in; a plain password fails without counting towards the lockout', async () => {
    sim.setVersion('1.14.1');
    sim.reset();
    for (let i = 0; i < 8; i++) {
      const plain = await new ConsoleSessionForTest(sim.consoleBase).login(sim.credentials.email, sim.credentials.password);
      assert.deepEqual(await plain.json(), { code: 'authentication_failed', message: 'Invalid email or password.', status: 401 });
    }
    const s = new ConsoleSessionForTest(sim.consoleBase);
    const ok = await s.login(sim.credentials.email.toUpperCase(), base64Password(sim.credentials.password));
    assert.equal(ok.status, 200, 'not locked: undecodable passwords are not counted; the email matches case-insensitively');
    assert.equal((await s.call('/apps')).status, 200);
    assert.equal((await s.call('/apps', { csrf: false })).status, 401);
  });
});

describe('lockout', () => {
  test('more than 5 failures lock the email (429 email_code_login_limit), even for the right password, until the window ends', async () => {
    const short = await startDifySimulator({ version: '1.10.1', loginLockoutMs: 400 });
    try {
      const login = (password: string) => new ConsoleSessionForTest(short.consoleBase).login(short.credentials.email, password);
      for (let i = 1; i <= 6; i++) assert.equal((await login(`wrong-${i}`)).status, 401, `failure ${i}`);
      const locked = await login(short.credentials.password);
      assert.deepEqual(await locked.json(), { code: 'email_code_login_limit', message: 'Too many incorrect password attempts. Please try again later.', status: 429 });
      await new Promise((r) => setTimeout(r, 450));
      assert.equal((await login(short.credentials.password)).status, 200, 'the counter expires with LOGIN_LOCKOUT_DURATION');
      for (let i = 1; i <= 5; i++) await login('wrong');
      assert.equal((await login(short.credentials.password)).status, 200, 'five failures are still allowed, and success resets the counter');
      assert.equal((await login('wrong')).status, 401);
    } finally {
      await short.close();
    }
  });

  test('a banned account → 400 account_banned; an account without a workspace → 200 {"result":"fail"}', async () => {
    const banned = await startDifySimulator({ accountStatus: 'banned' });
    const homeless = await startDifySimulator({ version: '1.9.1', accountStatus: 'no-workspace' });
    try {
      const b = await new ConsoleSessionForTest(banned.consoleBase).login(banned.credentials.email, base64Password(banned.credentials.password));
      assert.deepEqual(await b.json(), { code: 'account_banned', message: 'Account is banned.', status: 400 });
      const h = await new ConsoleSessionForTest(homeless.consoleBase).login(homeless.credentials.email, homeless.credentials.password);
      assert.equal(h.status, 200);
      assert.deepEqual(await h.json(), { result: 'fail', data: 'workspace not found, please contact system admin to invite you to join in a workspace' });
    } finally {
      await Promise.all([banned.close(), homeless.close()]);
    }
  });

  test('before 1.11.3 the email must match exactly', async () => {
    sim.setVersion('1.10.1');
    sim.reset();
    const upper = await new ConsoleSessionForTest(sim.consoleBase).login(sim.credentials.email.toUpperCase(), sim.credentials.password);
    assert.equal(upper.status, 401);
  });

  test('password login disabled → 403', async () => {
    const sso = await startDifySimulator({ passwordLoginEnabled: false });
    try {
      const res = await new ConsoleSessionForTest(sso.consoleBase).login(sso.credentials.email, sso.credentials.password);
      assert.deepEqual([res.status, ((await res.json()) as { code: string }).code], [403, 'forbidden']);
      const features = (await (await fetch(`${sso.consoleBase}/system-features`)).json()) as { enable_email_password_login: boolean };
      assert.equal(features.enable_email_password_login, false);
    } finally {
      await sso.close();
    }
  });
});

describe('admin API key mode', () => {
  test('Bearer ADMIN_API_KEY + X-WORKSPACE-ID works without cookies (CSRF bypass from 1.11.0); a cookie takes precedence', async () => {
    const admin = { Authorization: `Bearer ${sim.adminApiKey}`, 'X-WORKSPACE-ID': sim.workspaceId };
    for (const [version, status] of [
      ['1.9.1', 200],
      ['1.10.1', 401],
      ['1.11.0', 200],
      ['1.14.1', 200],
    ] as const) {
      sim.setVersion(version);
      const res = await fetch(`${sim.consoleBase}/apps`, { headers: admin });
      assert.equal(res.status, status, `admin key on ${version}`);
    }
    sim.setVersion('1.14.1');
    const wrongWorkspace = await fetch(`${sim.consoleBase}/apps`, { headers: { ...admin, 'X-WORKSPACE-ID': crypto.randomUUID() } });
    assert.equal(wrongWorkspace.status, 401);
    const withCookie = await fetch(`${sim.consoleBase}/apps`, { headers: { ...admin, Cookie: 'access_token=stale.jwt.value' } });
    assert.equal(withCookie.status, 401, 'the cookie token is read first (upstream #39871)');
  });
});
