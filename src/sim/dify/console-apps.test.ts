import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { startDifySimulator, type DifySimulator } from './index.js';
import { base64Password, ConsoleSessionForTest } from './test-support/console.js';

/** Console apps, exports, published versions, annotations and the import state machine, over real HTTP. */

let sim: DifySimulator;
let s: ConsoleSessionForTest;

async function loggedIn(target: DifySimulator): Promise<ConsoleSessionForTest> {
  const session = new ConsoleSessionForTest(target.consoleBase);
  const family = target.behaviour().loginFamily;
  const res = await session.login(target.credentials.email, family === 'cookies-base64-password' ? base64Password(target.credentials.password) : target.credentials.password);
  if (family === 'body-tokens') session.bearer = ((await res.json()) as { data: { access_token: string } }).data.access_token;
  assert.equal(res.status, 200);
  return session;
}

async function json<T>(res: Response, status = 200): Promise<T> {
  assert.equal(res.status, status, `${res.url} → ${res.status}`);
  return (await res.json()) as T;
}

interface AppList {
  page: number;
  limit: number;
  total: number;
  has_more: boolean;
  data: Array<{ id: string; name: string; mode: string; workflow: unknown }>;
}

before(async () => {
  sim = await startDifySimulator({ version: '1.14.1', apps: { count: 23 } });
  s = await loggedIn(sim);
});
after(() => sim.close());

describe('apps list', () => {
  test('pagination with page/limit/has_more, newest first, mode and name filters, limit > 100 refused', async () => {
    const seen: string[] = [];
    for (let page = 1; ; page++) {
      const list = await json<AppList>(await s.call(`/apps?page=${page}&limit=10`));
      assert.equal(list.total, 23);
      seen.push(...list.data.map((a) => a.name));
      if (!list.has_more) {
        assert.equal(page, 3);
        break;
      }
    }
    assert.equal(seen.length, 23);
    assert.deepEqual(seen.slice(0, 2), ['Generated workflow app 0023', 'Generated advanced-chat app 0022'], 'created_at desc');
    const workflows = await json<AppList>(await s.call('/apps?mode=workflow&limit=100'));
    assert.ok(workflows.data.length > 0 && workflows.data.every((a) => a.mode === 'workflow' && a.workflow !== null));
    const named = await json<AppList>(await s.call('/apps?name=APP%200004'));
    assert.deepEqual(named.data.map((a) => a.name), ['Generated completion app 0004']);
    const beyond30 = await json<AppList>(await s.call('/apps?name=app%200007'));
    assert.deepEqual(beyond30.data, [], 'the name filter only looks at the first 30 characters ("Generated advanced-chat app 00")');
    assert.equal((await s.call('/apps?limit=101')).status, 400);
    assert.equal((await s.call('/apps?mode=bogus')).status, 400);
  });

  test('seedApps(500) for backup benchmarks; detail and 404 app_not_found', async () => {
    const big = await startDifySimulator({ apps: [] });
    try {
      const added = big.seedApps(500);
      assert.equal(added.length, 500);
      const bs = await loggedIn(big);
      const list = await json<AppList>(await bs.call('/apps?limit=100&page=5'));
      assert.deepEqual([list.data.length, list.has_more, list.total], [100, false, 500]);
      const detail = await json<{ id: string; site: { title: string } }>(await bs.call(`/apps/${added[0]?.id}`));
      assert.equal(detail.site.title, added[0]?.name);
      const missing = await bs.call(`/apps/${crypto.randomUUID()}`);
      assert.deepEqual([missing.status, ((await missing.json()) as { code: string }).code], [404, 'app_not_found']);
    } finally {
      await big.close();
    }
  });
});

describe('export and published versions', () => {
  test('export returns {data: yaml} with sorted keys; include_secret and workflow_id are honoured', async () => {
    const flow = sim.addApp({ mode: 'advanced-chat', name: 'Secret flow', publishedVersions: 12 });
    const plain = await json<{ data: string }>(await s.call(`/apps/${flow.id}/export`));
    const doc = parse(plain.data) as { version: string; kind: string; app: { name: string }; workflow: { environment_variables: Array<{ value: string }> } };
    assert.deepEqual([doc.version, doc.kind, doc.app.name], ['0.6.0', 'app', 'Secret flow']);
    assert.equal(doc.workflow.environment_variables[0]?.value, '');
    const secret = await json<{ data: string }>(await s.call(`/apps/${flow.id}/export?include_secret=true`));
    assert.match(secret.data, /sim-weather-secret-123/);

    // Published versions: paginated, newest first, the draft row included.
    const versions: Array<{ id: string; version: string }> = [];
    for (let page = 1; ; page++) {
      const res = await json<{ items: Array<{ id: string; version: string }>; has_more: boolean; limit: number }>(await s.call(`/apps/${flow.id}/workflows?page=${page}`));
      assert.equal(res.limit, 10, 'default limit 10 in 1.14');
      versions.push(...res.items);
      if (!res.has_more) break;
    }
    assert.equal(versions.length, 13);
    assert.equal(versions[0]?.version, 'draft');
    const published = versions.slice(1).map((v) => v.version);
    assert.deepEqual(published, [...published].sort().reverse());
    const pinned = await json<{ data: string }>(await s.call(`/apps/${flow.id}/export?workflow_id=${versions[3]?.id}`));
    assert.equal((parse(pinned.data) as { kind: string }).kind, 'app');
    const chatApp = sim.apps.find((a) => a.mode === 'chat');
    const notWorkflow = await s.call(`/apps/${chatApp?.id}/workflows`);
    assert.deepEqual([notWorkflow.status, ((await notWorkflow.json()) as { code: string }).code], [404, 'app_not_found']);
  });

  test('annotations: paged with has_more = (len == limit), and the full export', async () => {
    const app = sim.addApp({ mode: 'chat', annotations: [1, 2, 3, 4].map((i) => ({ question: `q${i}`, answer: `a${i}` })) });
    const p1 = await json<{ data: unknown[]; has_more: boolean; total: number }>(await s.call(`/apps/${app.id}/annotations?page=1&limit=2`));
    const p2 = await json<{ data: unknown[]; has_more: boolean }>(await s.call(`/apps/${app.id}/annotations?page=2&limit=2`));
    const p3 = await json<{ data: unknown[]; has_more: boolean }>(await s.call(`/apps/${app.id}/annotations?page=3&limit=2`));
    assert.deepEqual([p1.total, p1.has_more, p2.has_more, p3.data.length, p3.has_more], [4, true, true, 0, false], 'one empty trailing page');
    const all = await json<{ data: Array<{ question: string; hit_count: number }> }>(await s.call(`/apps/${app.id}/annotations/export`));
    assert.deepEqual(all.data.map((a) => a.question), ['q1', 'q2', 'q3', 'q4']);
  });

  test('export failure injection and console latency', async () => {
    const victim = sim.addApp({ mode: 'chat' });
    sim.failExport(victim.id, '5xx');
    assert.equal((await s.call(`/apps/${victim.id}/export`)).status, 500);
    sim.failExport(victim.id, 'missing-draft');
    assert.deepEqual(await json(await s.call(`/apps/${victim.id}/export`), 400), { code: 'invalid_param', message: 'Missing draft workflow configuration, please check.', status: 400 });
    sim.failExport(victim.id, 'hang');
    const hung = await s.call(`/apps/${victim.id}/export`, { signal: AbortSignal.timeout(200) }).then(
      () => 'answered',
      () => 'timed out',
    );
    assert.equal(hung, 'timed out');
    sim.failExport(victim.id, false);
    assert.equal((await s.call(`/apps/${victim.id}/export`)).status, 200);

    sim.setConsoleLatency(120);
    const t0 = Date.now();
    await s.call('/apps?limit=1');
    assert.ok(Date.now() - t0 >= 110, 'every console request is delayed');
    sim.setConsoleLatency(0);
  });
});

describe('import', () => {
  test('round trip: export every app → import into a fresh simulator → export → identical DSL', async () => {
    const target = await startDifySimulator({ version: '1.14.1', apps: [] });
    try {
      const ts = await loggedIn(target);
      const list = await json<AppList>(await s.call('/apps?limit=100'));
      assert.ok(list.data.length >= 5);
      for (const app of list.data) {
        const original = (await json<{ data: string }>(await s.call(`/apps/${app.id}/export?include_secret=true`))).data;
        const imported = await json<{ status: string; app_id: string; app_mode: string; imported_dsl_version: string; current_dsl_version: string }>(
          await ts.call('/apps/imports', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ mode: 'yaml-content', yaml_content: original }) }),
        );
        assert.deepEqual([imported.status, imported.app_mode, imported.imported_dsl_version, imported.current_dsl_version], ['completed', app.mode === 'agent-chat' ? 'agent-chat' : app.mode, '0.6.0', '0.6.0']);
        const again = (await json<{ data: string }>(await ts.call(`/apps/${imported.app_id}/export?include_secret=true`))).data;
        assert.equal(again, original, `${app.name} survives the round trip byte for byte`);
      }
      const copies = await json<AppList>(await ts.call('/apps?limit=100'));
      assert.equal(copies.total, list.total);
    } finally {
      await target.close();
    }
  });

  test('version mismatch → 202 pending → confirm → 200 completed; expired/unknown confirm → 400 failed', async () => {
    const old = await startDifySimulator({ version: '1.9.1', apps: [] });
    try {
      const os = await loggedIn(old);
      const dsl = (await json<{ data: string }>(await s.call(`/apps/${sim.apps[0]?.id}/export`))).data;
      const body = JSON.stringify({ mode: 'yaml-content', yaml_content: dsl, name: 'Renamed on import' });
      const pending = await json<{ id: string; status: string; app_id: string | null; current_dsl_version: string; imported_dsl_version: string }>(
        await os.call('/apps/imports', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body }),
        202,
      );
      assert.deepEqual([pending.status, pending.app_id, pending.current_dsl_version, pending.imported_dsl_version], ['pending', null, '0.4.0', '0.6.0']);
      assert.equal((await json<AppList>(await os.call('/apps'))).total, 0, 'nothing is created while pending');
      const confirmed = await json<{ status: string; app_id: string }>(await os.call(`/apps/imports/${pending.id}/confirm`, { method: 'POST' }));
      assert.equal(confirmed.status, 'completed');
      const detail = await json<{ name: string }>(await os.call(`/apps/${confirmed.app_id}`));
      assert.equal(detail.name, 'Renamed on import');
      const again = await json<{ status: string; error: string }>(await os.call(`/apps/imports/${pending.id}/confirm`, { method: 'POST' }), 400);
      assert.deepEqual([again.status, again.error], ['failed', 'Import information expired or does not exist']);
    } finally {
      await old.close();
    }
  });

  test('failures → 400 with Dify texts; older DSL minor → completed-with-warnings; overwrite only for workflow apps', async () => {
    const post = (b: unknown) => s.call('/apps/imports', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(b) });
    const failed = async (b: unknown) => json<{ status: string; error: string }>(await post(b), 400);
    assert.equal((await failed({ mode: 'yaml-content', yaml_content: '' })).error, 'yaml_content is required when import_mode is yaml-content');
    assert.match((await failed({ mode: 'yaml-content', yaml_content: 'app: [unclosed' })).error, /^Invalid YAML format: /);
    assert.equal((await failed({ mode: 'yaml-content', yaml_content: 'kind: app\nversion: 0.6.0\n' })).error, 'Missing app data in YAML content');
    assert.match((await failed({ mode: 'yaml-content', yaml_content: 'version: 0.5\napp: {mode: chat}\n' })).error, /Invalid version type, expected str/);
    const chatDsl = (await json<{ data: string }>(await s.call(`/apps/${sim.apps.find((a) => a.mode === 'chat')?.id}/export`))).data;
    const warn = await json<{ status: string }>(await post({ mode: 'yaml-content', yaml_content: chatDsl.replace("version: '0.6.0'", "version: '0.5.0'").replace('version: 0.6.0', 'version: 0.5.0') }));
    assert.equal(warn.status, 'completed-with-warnings');
    const chatId = sim.apps.find((a) => a.mode === 'chat')?.id;
    assert.equal((await failed({ mode: 'yaml-content', yaml_content: chatDsl, app_id: chatId })).error, 'Only workflow or advanced chat apps can be overwritten');
  });

  test('check-dependencies lists the plugins an imported app needs that are not installed', async () => {
    const completion = sim.apps.find((a) => a.mode === 'completion');
    const dsl = (await json<{ data: string }>(await s.call(`/apps/${completion?.id}/export`))).data;
    const imported = await json<{ app_id: string }>(
      await s.call('/apps/imports', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ mode: 'yaml-content', yaml_content: dsl }) }),
    );
    const deps = await json<{ leaked_dependencies: Array<{ type: string; value: { marketplace_plugin_unique_identifier: string } }> }>(
      await s.call(`/apps/imports/${imported.app_id}/check-dependencies`),
    );
    assert.deepEqual(
      deps.leaked_dependencies.map((d) => d.value.marketplace_plugin_unique_identifier.split(':')[0]),
      ['langgenius/tongyi'],
    );
  });
});
