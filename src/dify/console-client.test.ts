// DifyConsoleClient against the Dify simulator over real HTTP: login per version family, admin key,
// refresh, lockout, and the backup/restore endpoints.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { startDifySimulator } from '../sim/dify/index.js';
import { DifyConsoleClient, type DifyConsoleClientOptions } from './console-client.js';
import { DifyApiError, DifyLoginError, DifyTransportError, DifyUnsupportedVersionError } from './errors.js';

type Sim = Awaited<ReturnType<typeof startDifySimulator>>;

let sim: Sim;

before(async () => {
  sim = await startDifySimulator({
    port: 0,
    version: '1.14.0',
    loginMaxErrors: 3,
    apps: [
      { mode: 'chat', name: 'bot', annotations: [{ question: '营业时间？', answer: '9:00–18:00 🕘' }, { question: 'Q2', answer: 'A2' }] },
      { mode: 'advanced-chat', name: 'flow', publishedVersions: 3 },
      { mode: 'workflow', name: 'many-versions', publishedVersions: 105 },
      { mode: 'agent-chat', name: 'agent' },
      { mode: 'completion', name: 'writer' },
    ],
  });
});

after(async () => {
  await sim.close();
});

beforeEach(() => {
  sim.reset();
  sim.setVersion('1.14.0');
});

function client(extra: Partial<DifyConsoleClientOptions> = {}): DifyConsoleClient {
  return new DifyConsoleClient({ baseUrl: sim.origin, ...sim.credentials, retryDelayMs: 5, timeoutMs: 5_000, ...extra });
}

const loginCalls = () => sim.calls({ api: 'console', method: 'POST', path: '/console/api/login' });

describe('console login', () => {
  for (const [version, mode, family] of [
    ['1.9.1', 'bearer', 'body-tokens'],
    ['1.10.1', 'cookies', 'cookies'],
    ['1.11.1', 'cookies', 'cookies'],
    ['1.11.2', 'cookies', 'cookies-base64-password'],
    ['1.14.0', 'cookies', 'cookies-base64-password'],
  ] as const) {
    it(`logs in to Dify ${version} (${family}) and reports the version`, async () => {
      sim.setVersion(version);
      const dify = client();
      assert.equal(dify.version, undefined);
      const apps = await dify.apps.list();
      assert.equal(dify.version, version);
      assert.equal(dify.authMode, mode);
      assert.equal(dify.loginFamily, family);
      assert.equal(apps.length, sim.apps.length);
      assert.equal(loginCalls().length, 1);
      await dify.apps.list();
      assert.equal(loginCalls().length, 1, 'the session is reused');
    });
  }

  it('logs in with __Host- cookies when Dify believes it is on https', async () => {
    const secure = await startDifySimulator({ port: 0, version: '1.10.1', secureCookies: true });
    try {
      // The premise: this Dify really names its cookies `__Host-…` and marks them Secure.
      const probe = await fetch(`${secure.consoleBase}/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ ...secure.credentials, remember_me: false }),
      });
      const names = probe.headers.getSetCookie().map((c) => c.split('=')[0]);
      assert.deepEqual(names.sort(), ['__Host-access_token', '__Host-csrf_token', '__Host-refresh_token']);
      assert.ok(probe.headers.getSetCookie().every((c) => /;\s*Secure/i.test(c)));
      const dify = new DifyConsoleClient({ baseUrl: secure.consoleBase, ...secure.credentials });
      assert.equal((await dify.apps.list()).length, secure.apps.length);
      assert.equal(dify.authMode, 'cookies');
    } finally {
      await secure.close();
    }
  });

  it('uses the admin API key with X-WORKSPACE-ID, without any login', async () => {
    const adminApiKey = sim.adminApiKey;
    assert.ok(adminApiKey);
    for (const version of ['1.9.1', '1.14.0']) {
      sim.setVersion(version);
      sim.clearCalls();
      const dify: DifyConsoleClient = new DifyConsoleClient({ baseUrl: sim.consoleBase, adminApiKey, workspaceId: sim.workspaceId });
      assert.equal((await dify.apps.list()).length, sim.apps.length, version);
      assert.equal(dify.version, version);
      assert.equal(dify.authMode, 'admin-key');
      assert.equal(loginCalls().length, 0);
    }
  });

  it('refuses admin-key mode on 1.9.2–1.10.x (no CSRF bypass) before sending the key', async () => {
    sim.setVersion('1.10.1');
    const dify = new DifyConsoleClient({ baseUrl: sim.consoleBase, adminApiKey: sim.adminApiKey, workspaceId: sim.workspaceId });
    await assert.rejects(dify.login(), (e: unknown) => e instanceof DifyLoginError && e.reason === 'version_not_supported' && e.version === '1.10.1');
    assert.deepEqual(sim.calls({ api: 'console' }).map((c) => c.path), ['/console/api/system-features']);
  });

  it('rejects a wrong admin key as bad credentials', async () => {
    const dify = new DifyConsoleClient({ baseUrl: sim.consoleBase, adminApiKey: 'wrong-key', workspaceId: sim.workspaceId, maxRetries: 0 });
    await assert.rejects(dify.apps.list(), (e: unknown) => e instanceof DifyLoginError && e.reason === 'bad_credentials' && !e.message.includes('wrong-key'));
  });

  for (const version of ['1.9.1', '1.10.1', '1.14.0']) {
    it(`a wrong password on ${version}: bad_credentials, exactly one login request, never retried`, async () => {
      sim.setVersion(version);
      const password = 'Wr0ng-pässwörd';
      const dify = client({ password });
      const err = await dify.apps.list().catch((e: unknown) => e);
      assert.ok(err instanceof DifyLoginError, String(err));
      assert.equal(err.reason, 'bad_credentials');
      assert.equal(err.status, 401);
      assert.equal(err.version, version);
      assert.ok(!err.message.includes(password) && !err.message.includes(Buffer.from(password).toString('base64')));
      assert.equal(loginCalls().length, 1);
      await assert.rejects(dify.login(), (e: unknown) => e === err, 'the same failure is rethrown');
      await assert.rejects(dify.apps.get(sim.apps[0]?.id as string), (e: unknown) => e === err);
      assert.equal(loginCalls().length, 1, 'the password is never sent twice');
    });
  }

  it('reports a locked account after repeated failures, even with the right password', async () => {
    const reasons: string[] = [];
    for (let i = 0; i < 6 && reasons.at(-1) !== 'account_locked'; i += 1) {
      const err = await client({ password: `bad-${i}` }).login().catch((e: unknown) => e);
      assert.ok(err instanceof DifyLoginError);
      reasons.push(err.reason);
    }
    assert.equal(reasons.at(-1), 'account_locked', reasons.join(','));
    assert.equal(loginCalls().length, reasons.length, 'one request per attempt');
    const locked = await client().login().catch((e: unknown) => e);
    assert.ok(locked instanceof DifyLoginError && locked.reason === 'account_locked' && locked.status === 429);
  });

  it('says when password login is disabled, without sending the password', async () => {
    const sso = await startDifySimulator({ port: 0, passwordLoginEnabled: false });
    try {
      const dify = new DifyConsoleClient({ baseUrl: sso.origin, ...sso.credentials });
      await assert.rejects(dify.login(), (e: unknown) => e instanceof DifyLoginError && e.reason === 'password_login_disabled');
      assert.equal(sso.calls({ path: '/console/api/login' }).length, 0);
    } finally {
      await sso.close();
    }
  });

  it('tries again after a login that failed on the network (no verdict on the password)', async () => {
    const placeholder = createServer();
    await new Promise<void>((resolve) => placeholder.listen(0, '127.0.0.1', resolve));
    const port = (placeholder.address() as AddressInfo).port;
    await new Promise<void>((resolve) => placeholder.close(() => resolve()));
    const account = { email: 'late@example.com', password: 'late-Pa55' };
    const dify = new DifyConsoleClient({ baseUrl: `http://127.0.0.1:${port}`, ...account, maxRetries: 0 });
    await assert.rejects(dify.login(), (e: unknown) => e instanceof DifyTransportError && e.reason === 'network');
    const late = await startDifySimulator({ port, version: '1.10.1', account });
    try {
      await dify.login();
      assert.equal(dify.version, '1.10.1');
    } finally {
      await late.close();
    }
  });

  it('needs credentials', async () => {
    const dify = new DifyConsoleClient({ baseUrl: sim.origin });
    await assert.rejects(dify.login(), (e: unknown) => e instanceof DifyLoginError && e.reason === 'no_credentials');
  });

  for (const version of ['1.9.1', '1.14.0']) {
    it(`refreshes the session once on 401 (${version}) and carries on`, async () => {
      sim.setVersion(version);
      const dify = client();
      await dify.apps.list();
      sim.expireConsoleTokens();
      const apps = await dify.apps.list();
      assert.equal(apps.length, sim.apps.length);
      assert.equal(sim.calls({ path: '/console/api/refresh-token' }).length, 1);
      assert.equal(loginCalls().length, 1);
    });
  }

  it('never logs or throws the password or a token', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = pino({ level: 'trace' }, sink);
    const dify = client({ logger });
    await dify.apps.list();
    sim.expireConsoleTokens();
    await dify.apps.list();
    await client({ logger, password: 'nope-nope' }).login().catch(() => undefined);
    const log = lines.join('');
    assert.ok(log.includes('dify console logged in'), 'the logger was used');
    for (const secret of [sim.credentials.password, Buffer.from(sim.credentials.password).toString('base64'), 'nope-nope', 'access_token=', 'eyJ']) {
      assert.ok(!log.includes(secret), `log leaks ${secret}`);
    }
  });
});

describe('console backup endpoints', () => {
  it('lists apps across pages with a mode filter', async () => {
    sim.seedApps(230);
    const dify = client();
    const all = await dify.apps.list();
    assert.equal(all.length, sim.apps.length);
    assert.equal(new Set(all.map((a) => a.id)).size, all.length);
    assert.ok(sim.calls({ path: '/console/api/apps' }).length >= 3);
    const workflows = await dify.apps.list({ mode: 'workflow' });
    assert.ok(workflows.length > 1);
    assert.ok(workflows.every((a) => a.mode === 'workflow'));
  });

  it('exports DSL (draft, a published version, include_secret)', async () => {
    const dify = client();
    const flow = sim.app('flow');
    assert.ok(flow);
    const draft = await dify.apps.export(flow.id);
    assert.match(draft, /^app:\n/m);
    assert.match(draft, /kind: app/);
    const versions = await dify.workflows.listPublished(flow.id);
    assert.equal(versions.length, 3);
    assert.ok(versions.every((v) => v.version !== 'draft'));
    const published = await dify.apps.export(flow.id, { workflow_id: versions[0]?.id as string, include_secret: true });
    assert.match(published, /workflow:/);
    const exportCalls = sim.calls({ path: `/console/api/apps/${flow.id}/export` });
    assert.equal(exportCalls.length, 2);
  });

  it('refuses workflow_id export before 1.8.1', async () => {
    sim.setVersion('1.8.0');
    const flow = sim.app('flow');
    assert.ok(flow);
    await assert.rejects(
      client().apps.export(flow.id, { workflow_id: '00000000-0000-4000-8000-000000000000' }),
      (e: unknown) => e instanceof DifyUnsupportedVersionError && e.minimumVersion === '1.8.1' && e.version === '1.8.0',
    );
  });

  it('reads every published version, beyond the first 100', async () => {
    const app = sim.app('many-versions');
    assert.ok(app);
    const versions = await client().workflows.listPublished(app.id);
    assert.equal(versions.length, 105);
    assert.equal(new Set(versions.map((v) => v.id)).size, 105);
  });

  it('gives a typed 404 for versions of a non-workflow app', async () => {
    const bot = sim.app('bot');
    assert.ok(bot);
    await assert.rejects(client().workflows.listPublished(bot.id), (e: unknown) => e instanceof DifyApiError && e.status === 404);
  });

  it('reads annotations, paged and exported', async () => {
    const bot = sim.app('bot');
    assert.ok(bot);
    const dify = client();
    const paged = await dify.annotations.list(bot.id);
    assert.deepEqual(paged.map((a) => [a.question, a.answer]).sort(), [['Q2', 'A2'], ['营业时间？', '9:00–18:00 🕘']]);
    const exported = await dify.annotations.export(bot.id);
    assert.equal(exported.length, 2);
  });

  it('round-trips export → import (200 completed) and checks dependencies', async () => {
    const dify = client();
    const bot = sim.app('bot');
    assert.ok(bot);
    const yaml = await dify.apps.export(bot.id);
    const outcome = await dify.imports.importApp({ yaml_content: yaml, name: 'bot (restored)' });
    assert.equal(outcome.import.status, 'completed');
    assert.equal(outcome.confirmed, false);
    assert.ok(Array.isArray(outcome.leakedDependencies));
    const restored = await dify.apps.get(outcome.import.app_id as string);
    assert.equal(restored.name, 'bot (restored)');
    assert.equal(restored.mode, 'chat');
  });

  it('confirms a pending import (202, newer DSL version)', async () => {
    const dify = client();
    const flow = sim.app('flow');
    assert.ok(flow);
    const yaml = (await dify.apps.export(flow.id)).replace(/^version: .*$/m, "version: '9.0.0'");
    const started = await dify.imports.create({ yaml_content: yaml });
    assert.equal(started.status, 'pending');
    assert.equal(started.app_id, null);
    sim.clearCalls();
    const outcome = await dify.imports.importApp({ yaml_content: yaml });
    assert.equal(outcome.confirmed, true);
    assert.equal(outcome.import.status, 'completed');
    assert.deepEqual(
      sim.calls({ api: 'console' }).map((c) => [c.method, c.path.replace(/[0-9a-f-]{36}/g, ':id'), c.status]),
      [
        ['POST', '/console/api/apps/imports', 202],
        ['POST', '/console/api/apps/imports/:id/confirm', 200],
        ['GET', '/console/api/apps/imports/:id/check-dependencies', 200],
      ],
    );
  });

  it('reports a failed import (400) with Dify\'s reason', async () => {
    const dify = client();
    const failed = await dify.imports.create({ yaml_content: 'app: [unclosed' });
    assert.equal(failed.status, 'failed');
    assert.ok(failed.error.length > 0);
    await assert.rejects(
      dify.imports.importApp({ yaml_content: 'kind: app\nversion: "0.6.0"\n' }),
      (e: unknown) => e instanceof DifyApiError && e.difyCode === 'import_failed' && e.difyMessage.length > 0,
    );
  });
});
