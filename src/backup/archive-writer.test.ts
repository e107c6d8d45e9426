import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ArchiveWriter } from './archive-writer.js';
import { TEMP_FILE_SUFFIX } from './atomic-file.js';
import { ARCHIVE_FORMAT_VERSION, MANIFEST_FILE, parseManifest, type Manifest, type ManifestApp } from './manifest.js';
import { sha256Hex } from './sha256.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mpgate-archive-writer-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const DSL = (name: string) => `app:\n  mode: chat\n  name: ${name}\nkind: app\nversion: 0.6.0\n`;

function manifestOf(apps: ManifestApp[]): Manifest {
  return { formatVersion: ARCHIVE_FORMAT_VERSION, createdAt: new Date().toISOString(), source: { url: 'http://dify.test' }, apps };
}

function readManifest(dir: string): Manifest {
  const parsed = parseManifest(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8'));
  assert.ok(parsed.ok, JSON.stringify(parsed));
  return parsed.manifest;
}

async function writeArchive(dir: string, files: Record<string, string>): Promise<Map<string, boolean>> {
  const writer = await ArchiveWriter.open(dir);
  const changed = new Map<string, boolean>();
  const apps: ManifestApp[] = [];
  for (const [file, text] of Object.entries(files)) {
    const put = await writer.put(file, text);
    changed.set(file, put.changed);
    apps.push({ id: file, name: file, mode: 'chat', file, sha256: put.sha256 });
  }
  await writer.commit(manifestOf(apps));
  return changed;
}

test('a second write leaves identical files untouched (same inode and mtime) and replaces changed ones', async () => {
  const dir = path.join(tmp, 'incremental');
  await writeArchive(dir, { 'a.yml': DSL('a'), 'b.yml': DSL('b') });
  const before = fs.statSync(path.join(dir, 'a.yml'), { bigint: true });
  await new Promise((resolve) => setTimeout(resolve, 20));
  const changed = await writeArchive(dir, { 'a.yml': DSL('a'), 'b.yml': DSL('b2') });
  assert.deepEqual([...changed], [['a.yml', false], ['b.yml', true]]);
  const after = fs.statSync(path.join(dir, 'a.yml'), { bigint: true });
  assert.equal(after.ino, before.ino);
  assert.equal(after.mtimeNs, before.mtimeNs);
  assert.equal(fs.readFileSync(path.join(dir, 'b.yml'), 'utf8'), DSL('b2'));
  assert.equal(readManifest(dir).apps.find((a) => a.file === 'b.yml')?.sha256, sha256Hex(DSL('b2')));
});

test('files of the previous manifest that are no longer listed are deleted (with their empty folders); kept ones stay', async () => {
  const dir = path.join(tmp, 'obsolete');
  await writeArchive(dir, { 'x.yml': DSL('x'), 'gone/versions/v1.yml': DSL('v1'), 'kept.yml': DSL('k') });
  fs.writeFileSync(path.join(dir, 'user-notes.txt'), 'not ours');
  const writer = await ArchiveWriter.open(dir);
  assert.equal(writer.previous?.apps.length, 3);
  const put = await writer.put('x.yml', DSL('x'));
  writer.keep('kept.yml');
  const kept = writer.previous?.apps.find((a) => a.file === 'kept.yml') as ManifestApp;
  await writer.commit(manifestOf([{ id: 'x', name: 'x', mode: 'chat', file: 'x.yml', sha256: put.sha256 }, kept]));
  assert.equal(fs.existsSync(path.join(dir, 'gone')), false, 'the emptied folder is removed');
  assert.equal(fs.existsSync(path.join(dir, 'kept.yml')), true);
  assert.equal(fs.existsSync(path.join(dir, 'user-notes.txt')), true, 'files the manifest never listed are not ours to delete');
});

test('nothing is visible before commit; abort drops the staged files and keeps the old content', async () => {
  const dir = path.join(tmp, 'abort');
  await writeArchive(dir, { 'a.yml': DSL('a') });
  const writer = await ArchiveWriter.open(dir);
  await writer.put('a.yml', DSL('changed'));
  await writer.put('new.yml', DSL('new'));
  assert.equal(fs.readFileSync(path.join(dir, 'a.yml'), 'utf8'), DSL('a'));
  assert.equal(fs.existsSync(path.join(dir, 'new.yml')), false);
  await writer.abort();
  assert.deepEqual(fs.readdirSync(dir).sort(), ['a.yml', MANIFEST_FILE]);
  await assert.rejects(writer.put('b.yml', 'x'), /already committed or aborted/);
});

test('paths outside the archive are refused', async () => {
  const writer = await ArchiveWriter.open(path.join(tmp, 'escape'));
  await assert.rejects(writer.put('../outside.yml', 'x'), /outside the archive/);
  await writer.abort();
});

test('crash test: SIGKILL during commits never leaves a half-written manifest; leftovers are cleaned on the next open', async () => {
  const dir = path.join(tmp, 'crash');
  const script = path.join(import.meta.dirname, 'test-support', 'commit-loop.ts');
  for (let round = 0; round < 3; round += 1) {
    const child = spawn(process.execPath, ['--import', 'tsx', script, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`commit loop exited early with ${code}`)));
    });
    await new Promise((resolve) => setTimeout(resolve, 40 + round * 37));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const manifest = readManifest(dir); // parses completely: the old manifest or the new one, never a part
    assert.equal(manifest.apps.length, 4000);
  }
  await ArchiveWriter.open(dir).then((w) => w.abort());
  const leftovers = fs.readdirSync(dir).filter((name) => name.endsWith(TEMP_FILE_SUFFIX));
  assert.deepEqual(leftovers, []);
});
