// runBackup against the Dify simulator over real HTTP: every login family, admin-key mode, failures,
// retries, every page, incremental re-runs, zip, retention, secrets and filters.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { runBackup, type BackupProgressEvent } from '../../src/backup/backup.js';
import { BackupConnectError, BackupUsageError } from '../../src/backup/errors.js';
import { MANIFEST_FILE, parseManifest, type Manifest } from '../../src/backup/manifest.js';
import { listDatedArchives } from '../../src/backup/retention.js';
import { sha256Hex } from '../../src/backup/sha256.js';
import { verifyArchive } from '../../src/backup/verify.js';
import { DifyConsoleClient } from '../../src/dify/console-client.js';
import { DifyLoginError } from '../../src/dify/errors.js';
import { adminKeyTarget, FAST_RETRY, MIXED_APPS, passwordTarget, startSim, tempDir } from './support/backup-fixtures.js';

const tmp = tempDir('backup');
after(() => tmp.cleanup());

function readManifest(archive: string): Manifest {
  const parsed = parseManifest(fs.readFileSync(path.join(archive, MANIFEST_FILE), 'utf8'));
  assert.ok(parsed.ok, JSON.stringify(parsed));
  return parsed.manifest;
}

const DSL_VERSION_OF: Record<string, string> = { '1.9.1': '0.4.0', '1.10.1': '0.5.0', '1.14.1': '0.6.0' };

describe('each login family and admin-key mode', () => {
  for (const version of ['1.9.1', '1.10.1', '1.14.1']) {
    it(`password login on Dify ${version}: every app saved, one YAML per app, the archive verifies`, async () => {
      const sim = await startSim({ version });
      try {
        const out = tmp.sub(`family-${version}`);
        const result = await runBackup({ target: passwordTarget(sim), out, retry: FAST_RETRY });
        assert.equal(result.ok, true, JSON.stringify(result.failed));
        assert.equal(result.difyVersion, version);
        assert.equal(result.apps.length, MIXED_APPS.length);
        assert.ok(result.apps.every((a) => a.status === 'saved'));
        const manifest = readManifest(out);
        assert.equal(manifest.difyVersion, version);
        assert.equal(manifest.apps.length, MIXED_APPS.length);
        for (const app of manifest.apps) {
          assert.equal(app.dslVersion, DSL_VERSION_OF[version]);
          const text = fs.readFileSync(path.join(out, app.file), 'utf8');
          assert.equal(sha256Hex(text), app.sha256);
          assert.equal((parseYaml(text) as { app: { name: string } }).app.name, app.name);
        }
        assert.ok(manifest.apps.some((a) => a.file.startsWith('客服助手-FAQ--')), 'CJK names stay readable');
        assert.equal(new Set(manifest.apps.map((a) => a.file)).size, manifest.apps.length, 'two apps called "Flow" get two files');
        const report = await verifyArchive(out);
        assert.deepEqual(report.problems, []);
        const logins = sim.calls({ api: 'console', method: 'POST', path: '/console/api/login' });
        assert.equal(logins.length, 1, 'one login, no guessing');
        assert.equal(logins[0]?.status, 200);
      } finally {
        await sim.close();
      }
    });
  }

  for (const version of ['1.9.1', '1.14.1']) {
    it(`admin API key mode on Dify ${version}: no login, workspace recorded, archive verifies`, async () => {
      const sim = await startSim({ version });
      try {
        const out = tmp.sub(`admin-${version}`);
        const result = await runBackup({ target: adminKeyTarget(sim), out, retry: FAST_RETRY });
        assert.equal(result.ok, true, JSON.stringify(result.failed));
        assert.equal(result.apps.length, MIXED_APPS.length);
        assert.equal(readManifest(out).source.workspace, sim.workspaceId);
        assert.equal(sim.calls({ path: '/console/api/login' }).length, 0);
        assert.equal((await verifyArchive(out)).ok, true);
      } finally {
        await sim.close();
      }
    });
  }

  it('admin API key mode on 1.10.1 (no CSRF bypass) is refused before any export', async () => {
    const sim = await startSim({ version: '1.10.1' });
    try {
      const out = tmp.sub('admin-1.10.1');
      await assert.rejects(runBackup({ target: adminKeyTarget(sim), out }), (err: unknown) => err instanceof DifyLoginError && err.reason === 'version_not_supported');
      assert.equal(fs.existsSync(out), false, 'no archive is started');
    } finally {
      await sim.close();
    }
  });
});

describe('against one Dify 1.14.1', () => {
  const simReady = startSim({ version: '1.14.1' });
  after(async () => (await simReady).close());

  it('3 apps failing to export: the three are named with why, the others saved, the archive verifies', async () => {
    const sim = await simReady;
    sim.reset();
    const [a, b, c] = [sim.app('Writer ✍️'), sim.app('Time-aware agent'), sim.app('Support bot')];
    assert.ok(a && b && c);
    sim.failExport(a.id, '5xx');
    sim.failExport(b.id, 'missing-draft');
    sim.failExport(c.id, 'hang');
    const out = tmp.sub('three-failures');
    const events: BackupProgressEvent[] = [];
    const result = await runBackup({ target: passwordTarget(sim), out, retry: FAST_RETRY, requestTimeoutMs: 300, onProgress: (e) => events.push(e) });
    assert.equal(result.ok, false);
    assert.deepEqual(result.failed.map((f) => f.name).sort(), ['Support bot', 'Time-aware agent', 'Writer ✍️']);
    const why = new Map(result.failed.map((f) => [f.name, f.error ?? '']));
    assert.match(why.get('Writer ✍️') ?? '', /HTTP 500 internal_server_error.*gave up after 3 attempts/);
    assert.match(why.get('Time-aware agent') ?? '', /HTTP 400 invalid_param: Missing draft workflow configuration/);
    assert.doesNotMatch(why.get('Time-aware agent') ?? '', /gave up/, 'a 400 is not retried');
    assert.match(why.get('Support bot') ?? '', /export: no complete answer within 300 ms \(gave up after 3 attempts\)/);
    assert.equal(sim.calls({ path: `/console/api/apps/${a.id}/export` }).length, 3, '5xx retried twice');

    const manifest = readManifest(out);
    assert.equal(manifest.apps.length, MIXED_APPS.length - 3);
    assert.deepEqual(manifest.failures?.map((f) => f.name).sort(), ['Support bot', 'Time-aware agent', 'Writer ✍️']);
    const report = await verifyArchive(out);
    assert.deepEqual(report.problems, []);
    assert.equal(report.failures.length, 3);
    const appEvents = events.filter((e) => e.type === 'app');
    assert.equal(appEvents.length, MIXED_APPS.length);
    assert.equal(appEvents.at(-1)?.type === 'app' && appEvents.at(-1)?.done, MIXED_APPS.length);
  });

  it('transient failures are retried with backoff and the app is saved', async () => {
    const sim = await simReady;
    sim.reset();
    const app = sim.app('Writer ✍️');
    assert.ok(app);
    sim.failExport(app.id, '5xx');
    let exportCalls = 0;
    // Real 500s from the simulator for the first two attempts, then the failure is lifted.
    const fetchSpy: typeof fetch = (input, init) => {
      if (String(input).includes(`/apps/${app.id}/export`) && ++exportCalls === 3) sim.failExport(app.id, false);
      return fetch(input, init);
    };
    const result = await runBackup({ target: passwordTarget(sim), out: tmp.sub('retried'), retry: { retries: 3, baseDelayMs: 2 }, fetch: fetchSpy });
    assert.equal(result.ok, true, JSON.stringify(result.failed));
    assert.deepEqual(
      sim.calls({ path: `/console/api/apps/${app.id}/export` }).map((c) => c.status),
      [500, 500, 200],
    );
  });

  it('--versions reads every page of published versions (105 → 2 pages) and --annotations every annotation', async () => {
    const sim = await simReady;
    sim.reset();
    const many = sim.addApp({ mode: 'workflow', name: 'many versions', publishedVersions: 105 });
    const out = tmp.sub('versions');
    const result = await runBackup({ target: passwordTarget(sim), out, versions: true, annotations: true, retry: FAST_RETRY, concurrency: 8 });
    assert.equal(result.ok, true, JSON.stringify(result.failed));
    const manifest = readManifest(out);
    const entry = manifest.apps.find((a) => a.id === many.id);
    assert.equal(entry?.versions?.length, 105);
    assert.equal(new Set(entry?.versions?.map((v) => v.id)).size, 105);
    const pages = sim.calls({ path: `/console/api/apps/${many.id}/workflows` });
    assert.equal(pages.length, 2);
    const chatflow = manifest.apps.find((a) => a.mode === 'advanced-chat');
    assert.equal(chatflow?.versions?.length, 2);
    assert.equal(manifest.apps.find((a) => a.mode === 'completion')?.versions, undefined, 'no versions for non-workflow apps');
    const faq = manifest.apps.find((a) => a.name === '客服助手 / FAQ');
    assert.equal(faq?.annotations?.count, 2);
    const annotations = JSON.parse(fs.readFileSync(path.join(out, faq?.annotations?.file ?? ''), 'utf8')) as { annotations: Array<{ question: string }> };
    assert.deepEqual(annotations.annotations.map((x) => x.question).sort(), ['Q2', '营业时间？']);
    assert.deepEqual((await verifyArchive(out)).problems, []);
  });

  it('every page of apps is listed (230 apps = 3 pages of 100)', async () => {
    const sim = await simReady;
    sim.reset();
    sim.seedApps(230 - MIXED_APPS.length);
    const result = await runBackup({ target: passwordTarget(sim), out: tmp.sub('pages'), retry: FAST_RETRY, concurrency: 8 });
    assert.equal(result.apps.length, 230);
    assert.equal(result.ok, true);
    assert.equal(sim.calls({ method: 'GET', path: '/console/api/apps' }).length, 3);
  });

  it('backing up into an existing archive rewrites only the changed app; a later failure keeps the older copy', async () => {
    const sim = await simReady;
    sim.reset();
    const out = tmp.sub('incremental');
    const target = passwordTarget(sim);
    await runBackup({ target, out, retry: FAST_RETRY });
    const before = readManifest(out);
    const workflow = before.apps.find((a) => a.mode === 'workflow') as Manifest['apps'][number];
    const untouched = before.apps.find((a) => a.mode === 'completion') as Manifest['apps'][number];
    const inodeBefore = fs.statSync(path.join(out, untouched.file)).ino;

    // Change the workflow app in Dify through its import API (overwrite by app_id).
    const client = new DifyConsoleClient({ baseUrl: sim.origin, ...sim.credentials });
    const yaml = fs.readFileSync(path.join(out, workflow.file), 'utf8').replace(/description: .*/, 'description: changed by the test');
    const imported = await client.imports.create({ yaml_content: yaml, app_id: workflow.id });
    assert.equal(imported.status, 'completed');

    const second = await runBackup({ target, out, retry: FAST_RETRY });
    const statuses = new Map(second.apps.map((a) => [a.id, a.status]));
    assert.equal(statuses.get(workflow.id), 'saved');
    assert.deepEqual([...statuses.values()].filter((s) => s === 'unchanged').length, MIXED_APPS.length - 1);
    assert.equal(fs.statSync(path.join(out, untouched.file)).ino, inodeBefore, 'unchanged files are not rewritten');
    const after2 = readManifest(out);
    assert.notEqual(after2.apps.find((a) => a.id === workflow.id)?.sha256, workflow.sha256);

    sim.failExport(untouched.id, '5xx');
    const third = await runBackup({ target, out, retry: FAST_RETRY });
    assert.equal(third.ok, false);
    assert.equal(third.failed[0]?.keptPreviousCopy, true);
    const after3 = readManifest(out);
    assert.equal(after3.apps.find((a) => a.id === untouched.id)?.sha256, untouched.sha256, 'the previous copy stays listed');
    assert.equal(after3.failures?.[0]?.keptPreviousCopy, true);
    assert.deepEqual((await verifyArchive(out)).problems, []);
  });

  it('--zip writes one zip of the same layout that verifies; a second run into it keeps it valid', async () => {
    const sim = await simReady;
    sim.reset();
    const out = tmp.sub('zipped');
    const first = await runBackup({ target: passwordTarget(sim), out, zip: true, versions: true, retry: FAST_RETRY });
    assert.equal(first.archive, `${out}.zip`);
    assert.equal(fs.statSync(first.archive).isFile(), true);
    const report = await verifyArchive(first.archive);
    assert.equal(report.kind, 'zip');
    assert.deepEqual(report.problems, []);
    assert.ok(report.counts.versions >= 5);
    const second = await runBackup({ target: passwordTarget(sim), out: first.archive, zip: true, versions: true, retry: FAST_RETRY });
    assert.ok(second.apps.every((a) => a.status === 'unchanged'), 'the previous zip content is compared, not rewritten blindly');
    assert.deepEqual((await verifyArchive(second.archive)).problems, []);
    assert.deepEqual(fs.readdirSync(tmp.root).filter((n) => n.includes('staging') || n.endsWith('.mpgate-tmp')), [], 'no staging leftovers');
  });

  it('--keep: each run makes a dated archive in --out and only the newest n complete ones stay', async () => {
    const sim = await simReady;
    sim.reset();
    const parent = tmp.sub('dated');
    const times = ['2026-11-20T03:00:00Z', '2026-11-21T03:00:00Z', '2026-11-22T03:00:00Z'];
    let result;
    for (const time of times) result = await runBackup({ target: passwordTarget(sim), out: parent, keep: 2, retry: FAST_RETRY, now: () => new Date(time) });
    assert.deepEqual(
      (await listDatedArchives(parent)).map((a) => a.name),
      ['dify-backup-2026-11-21T03-00-00Z', 'dify-backup-2026-11-22T03-00-00Z'],
    );
    assert.deepEqual(result?.pruned.map((p) => path.basename(p)), ['dify-backup-2026-11-20T03-00-00Z']);
    assert.equal((await verifyArchive(path.join(parent, 'dify-backup-2026-11-22T03-00-00Z'))).ok, true);
  });

  it('secrets are blank unless --include-secret, which also makes the files owner-only', async () => {
    const sim = await simReady;
    sim.reset();
    const chatflowFile = (out: string) => {
      const entry = readManifest(out).apps.find((a) => a.mode === 'advanced-chat');
      return path.join(out, entry?.file ?? '');
    };
    const plain = tmp.sub('no-secret');
    await runBackup({ target: passwordTarget(sim), out: plain, retry: FAST_RETRY });
    assert.doesNotMatch(fs.readFileSync(chatflowFile(plain), 'utf8'), /sim-weather-secret-123/);
    assert.equal(readManifest(plain).options?.includeSecret, false);

    const secret = tmp.sub('with-secret');
    await runBackup({ target: passwordTarget(sim), out: secret, includeSecret: true, retry: FAST_RETRY });
    assert.match(fs.readFileSync(chatflowFile(secret), 'utf8'), /sim-weather-secret-123/);
    assert.equal(fs.statSync(chatflowFile(secret)).mode & 0o777, 0o600);
    assert.equal(fs.statSync(path.join(secret, MANIFEST_FILE)).mode & 0o777, 0o600);
    assert.equal(readManifest(secret).options?.includeSecret, true);
  });

  it('--mode filters by app mode; a wrong mode is a usage error', async () => {
    const sim = await simReady;
    sim.reset();
    const result = await runBackup({ target: passwordTarget(sim), out: tmp.sub('modes'), modes: ['workflow,advanced-chat'], retry: FAST_RETRY });
    assert.deepEqual(result.apps.map((a) => a.mode).sort(), ['advanced-chat', 'workflow']);
    await assert.rejects(runBackup({ target: passwordTarget(sim), out: tmp.sub('bad-mode'), modes: ['chatbot'] }), (err: unknown) => {
      assert.ok(err instanceof BackupUsageError);
      assert.match(err.message, /--mode "chatbot" is not an app mode/);
      return true;
    });
  });

  it('login and connection errors are typed and leave no archive', async () => {
    const sim = await simReady;
    sim.reset();
    const out = tmp.sub('bad-login');
    await assert.rejects(runBackup({ target: { ...passwordTarget(sim), password: 'wrong-password' }, out }), (err: unknown) => err instanceof DifyLoginError && err.reason === 'bad_credentials');
    await assert.rejects(runBackup({ target: { ...passwordTarget(sim), url: 'http://127.0.0.1:1' }, out, retry: FAST_RETRY }), BackupConnectError);
    assert.equal(fs.existsSync(out), false);
  });
});

it('--versions on Dify older than 1.8.1 is a usage error (export by workflow_id does not exist there)', async () => {
  const sim = await startSim({ version: '1.7.2' });
  try {
    await assert.rejects(runBackup({ target: passwordTarget(sim), out: tmp.sub('old'), versions: true }), (err: unknown) => {
      assert.ok(err instanceof BackupUsageError);
      assert.match(err.message, /--versions needs Dify 1\.8\.1 or later.*1\.7\.2/);
      return true;
    });
  } finally {
    await sim.close();
  }
});
