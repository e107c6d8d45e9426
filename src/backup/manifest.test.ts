import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ARCHIVE_FORMAT_VERSION, parseManifest, referencedFiles, serializeManifest, type Manifest } from './manifest.js';

const SHA = 'a'.repeat(64);
const VALID: Manifest = {
  formatVersion: ARCHIVE_FORMAT_VERSION,
  difyVersion: '1.14.1',
  createdAt: '2026-11-22T04:05:06.000Z',
  source: { url: 'https://dify.example.com', workspace: 'ws-1' },
  apps: [
    {
      id: 'app-1',
      name: '客服',
      mode: 'advanced-chat',
      file: 'x--app-1.yml',
      sha256: SHA,
      versions: [{ id: 'wf-1', version: '2025-11-20 10:00:00.123456', file: 'x--app-1/versions/v.yml', sha256: SHA }],
      annotations: { file: 'x--app-1/annotations.json', sha256: SHA, count: 2 },
    },
  ],
};

test('a manifest round-trips through serialize and parse', () => {
  const parsed = parseManifest(serializeManifest(VALID));
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.manifest, VALID);
  assert.deepEqual(
    referencedFiles(VALID).map((ref) => [ref.kind, ref.file]),
    [
      ['app', 'x--app-1.yml'],
      ['version', 'x--app-1/versions/v.yml'],
      ['annotations', 'x--app-1/annotations.json'],
    ],
  );
});

test('problems name the JSON path: missing fields, a bad hash, a wrong type', () => {
  const broken = structuredClone(VALID) as unknown as Record<string, unknown> & { apps: Record<string, unknown>[] };
  delete broken.createdAt;
  (broken.apps[0] as Record<string, unknown>).sha256 = 'not-a-hash';
  (broken.apps[0] as Record<string, unknown>).name = 42;
  const parsed = parseManifest(JSON.stringify(broken));
  assert.equal(parsed.ok, false);
  const problems = parsed.ok ? [] : parsed.problems;
  assert.ok(problems.some((p) => p.startsWith('manifest.json: createdAt:')), problems.join('\n'));
  assert.ok(problems.some((p) => p.startsWith('manifest.json: apps[0].sha256: must be 64 lowercase hex')), problems.join('\n'));
  assert.ok(problems.some((p) => p.startsWith('manifest.json: apps[0].name:')), problems.join('\n'));
});

test('not JSON, and a format newer than this code, are refused with a reason', () => {
  const notJson = parseManifest('{"formatVersion": 1,');
  assert.equal(notJson.ok, false);
  assert.match(notJson.ok ? '' : (notJson.problems[0] ?? ''), /not valid JSON/);
  const newer = parseManifest(JSON.stringify({ ...VALID, formatVersion: ARCHIVE_FORMAT_VERSION + 1 }));
  assert.equal(newer.ok, false);
  assert.match(newer.ok ? '' : (newer.problems[0] ?? ''), /newer than this mpgate understands/);
});
