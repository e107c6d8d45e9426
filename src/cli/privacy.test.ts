import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { stringify } from 'yaml';
import { SqliteStore } from '../store/sqlite-store.js';
import { registerPrivacyCommands } from './privacy.js';

const A = 'oFollowerA000000000000000001';
const B = 'oFollowerB000000000000000001';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const program = new Command('mpgate').exitOverride();
  registerPrivacyCommands(program, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  process.exitCode = 0;
  await program.parseAsync(['node', 'mpgate', ...args]);
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { code, out, err };
}

test('privacy purge deletes what is kept about the named followers, then about all of them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mpgate-privacy-'));
  try {
    const dbPath = join(dir, 'mpgate.db');
    const config = join(dir, 'mpgate.yaml');
    writeFileSync(
      config,
      stringify({
        store: { driver: 'sqlite', path: dbPath },
        accounts: [{ id: 'main', appId: 'wx0123456789abcdef', token: 'token123', ai: { baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'app-x', app: 'chat' } }],
      }),
    );
    const seed = new SqliteStore({ path: dbPath });
    for (const openid of [A, B]) {
      const owner = { account: 'main', openid };
      await seed.set(`conv:main:${openid}`, 'conversation', { owner });
      await seed.enqueue(`pending:main:${openid}`, { id: 'm1', payload: '{}', owner });
    }
    await seed.close();

    const one = await run(['privacy', 'purge', '--account', 'main', '--openid', A, '--config', config]);
    assert.equal(one.code, 0, one.err);
    assert.match(one.out, new RegExp(`main ${A}: 2 records deleted`));
    const after = new SqliteStore({ path: dbPath });
    assert.equal(await after.get(`conv:main:${A}`), undefined);
    assert.equal(await after.queueSize(`pending:main:${A}`), 0);
    assert.equal(await after.get(`conv:main:${B}`), 'conversation', 'other followers untouched');
    await after.close();

    const all = await run(['privacy', 'purge', '--account', 'main', '--all-followers', '--config', config, '--json']);
    assert.equal(all.code, 0, all.err);
    assert.deepEqual(JSON.parse(all.out), { account: 'main', removed: { '*': 2 } });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('privacy purge refuses an ambiguous or unknown target with exit 2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mpgate-privacy-'));
  try {
    const config = join(dir, 'mpgate.yaml');
    writeFileSync(config, stringify({ store: { driver: 'memory' }, accounts: [] }));
    const neither = await run(['privacy', 'purge', '--account', 'main', '--config', config]);
    assert.equal(neither.code, 2);
    assert.match(neither.err, /--openid OPENID… or --all-followers/);
    const unknown = await run(['privacy', 'purge', '--account', 'nosuch', '--all-followers', '--config', config]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /no account "nosuch"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
