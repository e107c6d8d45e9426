// runRestore against Dify simulators over real HTTP: the round trip, dry runs, conflicts, selection,
// pending imports, missing plugins, and refusing archives that do not verify.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runBackup } from '../../src/backup/backup.js';
import { BackupUsageError } from '../../src/backup/errors.js';
import { MANIFEST_FILE, parseManifest, serializeManifest, type Manifest } from '../../src/backup/manifest.js';
import { runRestore } from '../../src/backup/restore.js';
import { sha256Hex } from '../../src/backup/sha256.js';
import type { DifySimulator } from '../../src/sim/dify/types.js';
import { dslHashes, FAST_RETRY, MIXED_APPS, passwordTarget, startSim, tempDir } from './support/backup-fixtures.js';

const tmp = tempDir('restore');
let source: DifySimulator;
let archive: string;

before(async () => {
  source = await startSim({ version: '1.14.1' });
  archive = tmp.sub('source-archive');
  const result = await runBackup({ target: passwordTarget(source), out: archive, retry: FAST_RETRY });
  assert.equal(result.ok, true);
});
after(async () => {
  await source.close();
  tmp.cleanup();
});

function manifestOf(dir: string): Manifest {
  const parsed = parseManifest(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8'));
  assert.ok(parsed.ok);
  return parsed.manifest;
}

async function withEmptySim<T>(options: Parameters<typeof startSim>[0], body: (sim: DifySimulator) => Promise<T>): Promise<T> {
  const sim = await startSim({ apps: [], ...options });
  try {
    return await body(sim);
  } finally {
    await sim.close();
  }
}

it('round trip: backup → restore into an empty Dify → backup again gives identical DSL hashes', async () => {
  await withEmptySim({ version: '1.14.1' }, async (target) => {
    assert.equal(target.apps.length, 0);
    const restored = await runRestore({ archive, target: passwordTarget(target), retry: FAST_RETRY });
    assert.equal(restored.ok, true, JSON.stringify(restored.failed));
    assert.equal(restored.apps.filter((a) => a.status === 'imported').length, MIXED_APPS.length);
    assert.equal(target.apps.length, MIXED_APPS.length);

    const again = tmp.sub('round-trip-again');
    const second = await runBackup({ target: passwordTarget(target), out: again, retry: FAST_RETRY });
    assert.equal(second.ok, true);
    assert.deepEqual(dslHashes(manifestOf(again)), dslHashes(manifestOf(archive)));
    assert.deepEqual(manifestOf(again).apps.map((a) => a.name).sort(), manifestOf(archive).apps.map((a) => a.name).sort());
  });
});

it('restores from a zip just the same', async () => {
  const zip = await runBackup({ target: passwordTarget(source), out: tmp.sub('as-zip'), zip: true, retry: FAST_RETRY });
  await withEmptySim({ version: '1.14.1' }, async (target) => {
    const restored = await runRestore({ archive: zip.archive, target: passwordTarget(target) });
    assert.equal(restored.ok, true, JSON.stringify(restored.failed));
    assert.equal(target.apps.length, MIXED_APPS.length);
  });
});

it('--dry-run prints the plan and sends no write request (only the login)', async () => {
  await withEmptySim({ version: '1.14.1' }, async (target) => {
    const result = await runRestore({ archive, target: passwordTarget(target), dryRun: true });
    assert.equal(result.ok, true);
    assert.equal(result.dryRun, true);
    assert.ok(result.apps.every((a) => a.status === 'planned' && a.action === 'import'));
    const writes = target.calls({ api: 'console' }).filter((c) => c.method !== 'GET');
    assert.deepEqual(writes.map((c) => c.path), ['/console/api/login']);
    assert.equal(target.apps.length, 0);
  });
});

describe('conflicts with apps already in the target (restoring into the source itself)', () => {
  it('skip (the default): every app exists, nothing is imported', async () => {
    source.reset();
    const result = await runRestore({ archive, target: passwordTarget(source) });
    assert.equal(result.ok, true);
    assert.ok(result.apps.every((a) => a.status === 'skipped' && a.conflictWith !== undefined));
    assert.equal(source.calls({ path: '/console/api/apps/imports' }).length, 0);
    assert.equal(source.apps.length, MIXED_APPS.length);
  });

  it('rename: imported as "<name> (restored)", unique even for two apps of the same name', async () => {
    source.reset();
    const result = await runRestore({ archive, target: passwordTarget(source), onConflict: 'rename', only: ['Flow', '客服助手 / FAQ'] });
    assert.equal(result.ok, true, JSON.stringify(result.failed));
    assert.deepEqual(result.apps.map((a) => a.importName).sort(), ['Flow (restored 2)', 'Flow (restored)', '客服助手 / FAQ (restored)']);
    const names = source.apps.map((a) => a.name);
    for (const name of ['Flow (restored)', 'Flow (restored 2)', '客服助手 / FAQ (restored)']) assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
  });

  it('new: imported as additional apps with the same names', async () => {
    source.reset();
    const id = manifestOf(archive).apps.find((a) => a.name === 'Writer ✍️')?.id as string;
    const result = await runRestore({ archive, target: passwordTarget(source), onConflict: 'new', only: [id] });
    assert.equal(result.apps.length, 1);
    assert.equal(result.apps[0]?.status, 'imported');
    assert.equal(source.apps.filter((a) => a.name === 'Writer ✍️').length, 2);
  });

  it('--only with an unknown id or name is a usage error', async () => {
    await assert.rejects(runRestore({ archive, target: passwordTarget(source), only: ['no such app'] }), (err: unknown) => {
      assert.ok(err instanceof BackupUsageError);
      assert.match(err.message, /no app in the archive has the id or name "no such app"/);
      return true;
    });
  });
});

it('a newer DSL into an older Dify: the pending (202) import is confirmed', async () => {
  await withEmptySim({ version: '1.10.1' }, async (target) => {
    const result = await runRestore({ archive, target: passwordTarget(target), only: ['Writer ✍️'] });
    assert.equal(result.ok, true, JSON.stringify(result.failed));
    const app = result.apps[0];
    assert.equal(app?.confirmed, true);
    assert.equal(app?.importStatus, 'completed');
    assert.equal(target.calls({ method: 'POST', path: /\/console\/api\/apps\/imports\/.+\/confirm$/ }).length, 1);
  });
});

it('missing plugins are reported per app (check-dependencies)', async () => {
  await withEmptySim({ version: '1.14.1', installedPlugins: [] }, async (target) => {
    const result = await runRestore({ archive, target: passwordTarget(target), only: ['Time-aware agent', 'Writer ✍️'] });
    assert.equal(result.ok, true);
    for (const app of result.apps) {
      assert.ok(app.missingPlugins.length > 0, `${app.name} lists its missing plugins`);
      assert.ok(app.missingPlugins.every((p) => /^[\w-]+\/[\w-]+(:[\w.-]+)?$/.test(p)), app.missingPlugins.join(', '));
    }
    assert.ok(result.apps.some((a) => a.missingPlugins.some((p) => p.startsWith('langgenius/openai'))));
  });
});

it('an archive that does not verify is not restored', async () => {
  const broken = tmp.sub('broken');
  fs.cpSync(archive, broken, { recursive: true });
  const first = manifestOf(broken).apps[0] as Manifest['apps'][number];
  fs.appendFileSync(path.join(broken, first.file), '# tampered\n');
  await withEmptySim({ version: '1.14.1' }, async (target) => {
    const result = await runRestore({ archive: broken, target: passwordTarget(target) });
    assert.equal(result.ok, false);
    assert.equal(result.verify.ok, false);
    assert.equal(result.apps.length, 0);
    assert.equal(target.calls({ api: 'console' }).length, 0, 'not even a login');
  });
});

it('an import Dify rejects fails that app (exit-worthy), the others still restore', async () => {
  const rejected = tmp.sub('rejected');
  fs.cpSync(archive, rejected, { recursive: true });
  const manifest = manifestOf(rejected);
  const bad = manifest.apps.find((a) => a.name === 'Writer ✍️') as Manifest['apps'][number];
  const text = fs.readFileSync(path.join(rejected, bad.file), 'utf8').replace(/mode: completion/, 'mode: bogus');
  fs.writeFileSync(path.join(rejected, bad.file), text);
  bad.sha256 = sha256Hex(text); // consistent archive: verify passes, Dify refuses the content
  fs.writeFileSync(path.join(rejected, MANIFEST_FILE), serializeManifest(manifest));
  await withEmptySim({ version: '1.14.1' }, async (target) => {
    const result = await runRestore({ archive: rejected, target: passwordTarget(target) });
    assert.equal(result.verify.ok, true);
    assert.equal(result.ok, false);
    assert.deepEqual(result.failed.map((a) => a.name), ['Writer ✍️']);
    assert.match(result.failed[0]?.error ?? '', /import failed: invalid mode value bogus/);
    assert.equal(target.apps.length, MIXED_APPS.length - 1);
  });
});
