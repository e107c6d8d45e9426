import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ArchiveWriter } from './archive-writer.js';
import { ARCHIVE_FORMAT_VERSION, MANIFEST_FILE, referencedFiles, serializeManifest, type Manifest } from './manifest.js';
import { sha256Hex } from './sha256.js';
import { verifyArchive } from './verify.js';
import { writeZipFromDirectory } from './zip.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mpgate-verify-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const dsl = (name: string, mode = 'chat') => `app:\n  mode: ${mode}\n  name: ${name}\ndependencies: []\nkind: app\nmodel_config: {}\nversion: 0.6.0\n`;

/** A small, valid archive: two apps (one with a version and annotations). */
async function makeArchive(name: string): Promise<string> {
  const dir = path.join(tmp, name);
  const writer = await ArchiveWriter.open(dir);
  const files = {
    'Bot--1.yml': dsl('Bot'),
    'Flow--2.yml': dsl('Flow', 'workflow'),
    'Flow--2/versions/2025-11-20T10-00-00--wf1.yml': dsl('Flow', 'workflow'),
    'Bot--1/annotations.json': `${JSON.stringify({ appId: '1', count: 1, annotations: [{ id: 'a', question: 'q', answer: 'a' }] })}\n`,
  };
  const sha: Record<string, string> = {};
  for (const [file, text] of Object.entries(files)) sha[file] = (await writer.put(file, text)).sha256;
  const manifest: Manifest = {
    formatVersion: ARCHIVE_FORMAT_VERSION,
    difyVersion: '1.14.1',
    createdAt: '2026-11-22T04:05:06.000Z',
    source: { url: 'http://dify.test' },
    apps: [
      { id: '1', name: 'Bot', mode: 'chat', file: 'Bot--1.yml', sha256: sha['Bot--1.yml'] as string, annotations: { file: 'Bot--1/annotations.json', sha256: sha['Bot--1/annotations.json'] as string, count: 1 } },
      {
        id: '2',
        name: 'Flow',
        mode: 'workflow',
        file: 'Flow--2.yml',
        sha256: sha['Flow--2.yml'] as string,
        versions: [{ id: 'wf1', version: '2025-11-20 10:00:00.000000', file: 'Flow--2/versions/2025-11-20T10-00-00--wf1.yml', sha256: sha['Flow--2/versions/2025-11-20T10-00-00--wf1.yml'] as string }],
      },
    ],
  };
  await writer.commit(manifest);
  return dir;
}

function editManifest(dir: string, edit: (m: Manifest) => void): void {
  const file = path.join(dir, MANIFEST_FILE);
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
  edit(manifest);
  fs.writeFileSync(file, serializeManifest(manifest));
}

test('an intact archive verifies, as a directory and as a zip', async () => {
  const dir = await makeArchive('intact');
  const report = await verifyArchive(dir);
  assert.deepEqual(report.problems, []);
  assert.equal(report.ok, true);
  assert.deepEqual(report.counts, { apps: 2, versions: 1, annotations: 1, files: 5 });

  const zip = path.join(tmp, 'intact.zip');
  await writeZipFromDirectory(dir, [MANIFEST_FILE, ...referencedFiles(report.manifest as Manifest).map((r) => r.file)], zip);
  const zipped = await verifyArchive(zip);
  assert.equal(zipped.kind, 'zip');
  assert.deepEqual(zipped.problems, []);
});

test('a tampered YAML is caught by its SHA-256', async () => {
  const dir = await makeArchive('tampered');
  fs.appendFileSync(path.join(dir, 'Bot--1.yml'), '# edited\n');
  const report = await verifyArchive(dir);
  assert.equal(report.ok, false);
  assert.equal(report.problems.length, 1);
  assert.equal(report.problems[0]?.file, 'Bot--1.yml');
  assert.match(report.problems[0]?.message ?? '', /SHA-256 mismatch for the DSL of "Bot" \(1\): the manifest says [0-9a-f]{64}, the file has [0-9a-f]{64}/);
});

test('a missing file and an extra file are both reported', async () => {
  const dir = await makeArchive('missing');
  fs.rmSync(path.join(dir, 'Flow--2/versions/2025-11-20T10-00-00--wf1.yml'));
  fs.writeFileSync(path.join(dir, 'stray.yml'), dsl('stray'));
  fs.writeFileSync(path.join(dir, '.Bot--1.yml.abc123.mpgate-tmp'), 'half');
  const report = await verifyArchive(dir);
  assert.deepEqual(
    report.problems.map((p) => [p.file, p.message.split(':')[0]]),
    [
      ['Flow--2/versions/2025-11-20T10-00-00--wf1.yml', 'missing'],
      ['.Bot--1.yml.abc123.mpgate-tmp', 'leftover temporary file of an interrupted backup'],
      ['stray.yml', 'extra file'],
    ],
  );
});

test('a bad manifest: not JSON, a missing field, no manifest at all', async () => {
  const notJson = await makeArchive('bad-json');
  fs.writeFileSync(path.join(notJson, MANIFEST_FILE), '{"formatVersion": 1, "apps": [');
  const r1 = await verifyArchive(notJson);
  assert.equal(r1.ok, false);
  assert.match(r1.problems[0]?.message ?? '', /manifest\.json is not valid JSON/);

  const noHash = await makeArchive('no-hash');
  editManifest(noHash, (m) => {
    delete (m.apps[0] as Partial<Manifest['apps'][number]>).sha256;
  });
  const r2 = await verifyArchive(noHash);
  assert.equal(r2.ok, false);
  assert.match(r2.problems.map((p) => p.message).join('\n'), /manifest\.json: apps\[0\]\.sha256:/);

  const none = await makeArchive('no-manifest');
  fs.rmSync(path.join(none, MANIFEST_FILE));
  const r3 = await verifyArchive(none);
  assert.match(r3.problems[0]?.message ?? '', /manifest\.json is missing/);
});

test('content that is not a Dify DSL, or broken annotations, is reported even when the hash matches', async () => {
  const dir = await makeArchive('not-dsl');
  const text = 'kind: app\nversion: 0.6.0\n'; // no app key
  fs.writeFileSync(path.join(dir, 'Bot--1.yml'), text);
  const badYaml = 'app: [unclosed\n';
  fs.writeFileSync(path.join(dir, 'Flow--2.yml'), badYaml);
  fs.writeFileSync(path.join(dir, 'Bot--1/annotations.json'), '{"annotations": []}');
  editManifest(dir, (m) => {
    (m.apps[0] as Manifest['apps'][number]).sha256 = sha256Hex(text);
    (m.apps[1] as Manifest['apps'][number]).sha256 = sha256Hex(badYaml);
    const annotations = m.apps[0]?.annotations;
    if (annotations) annotations.sha256 = sha256Hex('{"annotations": []}');
  });
  const messages = (await verifyArchive(dir)).problems.map((p) => `${p.file}: ${p.message}`);
  assert.deepEqual(messages, [
    'Bot--1.yml: the DSL of "Bot" (1) is not a Dify DSL: no app key',
    'Bot--1/annotations.json: annotations file holds 0 annotations, the manifest says 1',
    `Flow--2.yml: the DSL of "Flow" (2) is not valid YAML: ${messages[2]?.split('is not valid YAML: ')[1]}`,
  ]);
  assert.match(messages[2] ?? '', /not valid YAML: \S/);
});

test('a manifest pointing outside the archive, or at one file twice, is refused without reading it', async () => {
  const dir = await makeArchive('escape');
  fs.writeFileSync(path.join(tmp, 'outside.yml'), dsl('outside'));
  editManifest(dir, (m) => {
    (m.apps[0] as Manifest['apps'][number]).file = '../outside.yml';
    (m.apps[1] as Manifest['apps'][number]).versions = [{ id: 'v', version: 'x', file: 'Flow--2.yml', sha256: m.apps[1]?.sha256 as string }];
  });
  const messages = (await verifyArchive(dir)).problems.map((p) => p.message);
  assert.ok(messages.some((m) => /unsafe path for the DSL of "Bot" \(1\): it has an empty, "\." or "\.\." segment/.test(m)), messages.join('\n'));
  assert.ok(messages.some((m) => /listed more than once/.test(m)), messages.join('\n'));
});

test('zips: a tampered entry, a truncated zip, a file that is no zip, a path that does not exist', async () => {
  const dir = await makeArchive('zip-source');
  fs.appendFileSync(path.join(dir, 'Flow--2.yml'), '# edited\n');
  const zip = path.join(tmp, 'tampered.zip');
  await writeZipFromDirectory(dir, fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => fs.statSync(path.join(dir, f)).isFile()).map((f) => f.split(path.sep).join('/')), zip);
  const tampered = await verifyArchive(zip);
  assert.deepEqual(tampered.problems.map((p) => p.file), ['Flow--2.yml']);

  const truncated = path.join(tmp, 'truncated.zip');
  fs.writeFileSync(truncated, fs.readFileSync(zip).subarray(0, 200));
  assert.match((await verifyArchive(truncated)).problems[0]?.message ?? '', /broken zip/);

  const notZip = path.join(tmp, 'notes.txt');
  fs.writeFileSync(notZip, 'hello');
  assert.match((await verifyArchive(notZip)).problems[0]?.message ?? '', /not a zip archive/);
  assert.match((await verifyArchive(path.join(tmp, 'nope'))).problems[0]?.message ?? '', /no such archive/);
});
