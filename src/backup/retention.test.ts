import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ARCHIVE_FORMAT_VERSION, MANIFEST_FILE, serializeManifest } from './manifest.js';
import { allocateDatedArchive, datedArchiveName, listDatedArchives, pruneDatedArchives } from './retention.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mpgate-retention-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function makeArchive(parent: string, name: string, complete: boolean): void {
  const dir = path.join(parent, name);
  fs.mkdirSync(dir, { recursive: true });
  const manifest = {
    formatVersion: ARCHIVE_FORMAT_VERSION,
    createdAt: new Date().toISOString(),
    source: { url: 'http://dify.test' },
    apps: [],
    ...(complete ? {} : { failures: [{ id: '1', name: 'x', error: 'HTTP 500' }] }),
  };
  fs.writeFileSync(path.join(dir, MANIFEST_FILE), serializeManifest(manifest));
}

test('dated names are UTC, sortable and colon-free; a second run in the same second gets -2', async () => {
  const at = new Date('2026-11-22T04:05:06.789Z');
  assert.equal(datedArchiveName(at), 'dify-backup-2026-11-22T04-05-06Z');
  const parent = path.join(tmp, 'alloc');
  fs.mkdirSync(parent);
  const first = await allocateDatedArchive(parent, at, false);
  fs.mkdirSync(first);
  assert.equal(path.basename(await allocateDatedArchive(parent, at, false)), 'dify-backup-2026-11-22T04-05-06Z-2');
  assert.equal(path.basename(await allocateDatedArchive(parent, at, true)), 'dify-backup-2026-11-22T04-05-06Z.zip');
});

test('keep n: the n newest complete archives stay, plus newer incomplete ones; older ones go; foreign files stay', async () => {
  const parent = path.join(tmp, 'prune');
  makeArchive(parent, 'dify-backup-2026-11-01T03-00-00Z', true);
  makeArchive(parent, 'dify-backup-2026-11-02T03-00-00Z', false);
  makeArchive(parent, 'dify-backup-2026-11-03T03-00-00Z', true);
  makeArchive(parent, 'dify-backup-2026-11-04T03-00-00Z', false);
  makeArchive(parent, 'dify-backup-2026-11-05T03-00-00Z', true);
  makeArchive(parent, 'dify-backup-2026-11-05T03-00-00Z-2', false);
  fs.writeFileSync(path.join(parent, 'README.txt'), 'mine');
  fs.mkdirSync(path.join(parent, 'dify-backup-old-style'));

  const removed = await pruneDatedArchives(parent, 2);
  assert.deepEqual(removed.map((p) => path.basename(p)), ['dify-backup-2026-11-01T03-00-00Z', 'dify-backup-2026-11-02T03-00-00Z']);
  assert.deepEqual(
    (await listDatedArchives(parent)).map((a) => a.name),
    ['dify-backup-2026-11-03T03-00-00Z', 'dify-backup-2026-11-04T03-00-00Z', 'dify-backup-2026-11-05T03-00-00Z', 'dify-backup-2026-11-05T03-00-00Z-2'],
  );
  assert.ok(fs.existsSync(path.join(parent, 'README.txt')));
  assert.ok(fs.existsSync(path.join(parent, 'dify-backup-old-style')));
});

test('failed runs never push out the last complete archives', async () => {
  const parent = path.join(tmp, 'failing');
  makeArchive(parent, 'dify-backup-2026-11-01T03-00-00Z', true);
  for (let day = 2; day <= 9; day += 1) makeArchive(parent, `dify-backup-2026-11-0${day}T03-00-00Z`, false);
  assert.deepEqual(await pruneDatedArchives(parent, 1), []);
  assert.equal((await listDatedArchives(parent)).length, 9);
  await assert.rejects(pruneDatedArchives(parent, 0), RangeError);
});
