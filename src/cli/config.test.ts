import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { registerConfigCommands } from './config.js';
import { SAMPLE_SECRETS } from '../config/test-support/sample-config.js';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mpgate-cli-config-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function writeConfig(name: string, yaml: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, yaml);
  return file;
}

// Three independent mistakes: a 42-character EncodingAESKey, no ai.apiKey, and an unknown store driver.
const THREE_MISTAKES = writeConfig(
  'three-mistakes.yaml',
  `store:
  driver: mongodb
accounts:
  - id: main
    appId: wx2c2769f8efd9abc2
    token: spamtest
    encodingAESKey: ${SAMPLE_SECRETS.encodingAESKey.slice(0, 42)}
    ai:
      baseUrl: https://api.dify.ai/v1
      app: chat
`,
);
const EXPECTED_LINES = [
  'store.driver: must be one of memory, sqlite, redis (got "mongodb")',
  'accounts[0].encodingAESKey: must be 43 characters (it has 42)',
  'accounts[0].ai.apiKey: is required',
];

const VALID = writeConfig(
  'valid.yaml',
  `server:
  adminToken: ${SAMPLE_SECRETS.adminToken}
store:
  driver: memory
accounts:
  - id: main
    appId: wx2c2769f8efd9abc2
    appSecret: ${SAMPLE_SECRETS.appSecret}
    token: ${SAMPLE_SECRETS.token}
    encodingAESKey: ${SAMPLE_SECRETS.encodingAESKey}
    ai: { baseUrl: "https://api.dify.ai/v1", apiKey: ${SAMPLE_SECRETS.apiKey}, app: chat }
  - id: shop
    appId: wx0123456789abcdef
    token: shoptoken
    ai: { baseUrl: "http://127.0.0.1:5001/v1", apiKey: "\${SHOP_KEY}", app: workflow, inputVariable: question }
`,
);

/** Runs `mpgate config …` in this process and captures what it prints and the exit code it sets. */
async function runInProcess(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const program = new Command('mpgate').exitOverride();
  registerConfigCommands(program, { out: (line) => out.push(line), err: (line) => err.push(line) });
  const savedExitCode = process.exitCode;
  const savedEnv = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  try {
    process.exitCode = undefined;
    await program.parseAsync(['node', 'mpgate', 'config', ...args]);
    return { out: out.join('\n'), err: err.join('\n'), errLines: err, exitCode: process.exitCode };
  } finally {
    process.exitCode = savedExitCode;
    for (const [key, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/** Runs the real CLI entry point in a child process. */
async function runCli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'config', ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

test('config check (child process): three mistakes give exactly three lines naming three key paths, exit 1', async () => {
  const result = await runCli(['check', '--config', THREE_MISTAKES]);
  assert.equal(result.code, 1);
  assert.equal(result.stdout, '');
  assert.deepEqual(result.stderr.trimEnd().split('\n'), EXPECTED_LINES);
});

test('config check (in process): the same three lines and exit code 1', async () => {
  const result = await runInProcess(['check', '--config', THREE_MISTAKES]);
  assert.equal(result.exitCode, 1);
  assert.equal(result.out, '');
  assert.deepEqual(result.errLines, EXPECTED_LINES);
});

test('config check on a valid file: "config OK" with the account ids and a redacted summary, exit 0', async () => {
  const result = await runInProcess(['check', '--config', VALID], { SHOP_KEY: 'app-ShopKeyFromEnvironment01' });
  assert.equal(result.exitCode, 0, result.err);
  const lines = result.out.split('\n');
  assert.equal(lines[0], 'config OK: 2 accounts (main, shop)');
  assert.ok(lines.some((l) => l.includes('account shop: /wechat/shop') && l.includes('Dify workflow app')), result.out);
  assert.ok(lines.some((l) => l.includes('store:    memory')), result.out);
  for (const value of [...Object.values(SAMPLE_SECRETS), 'app-ShopKeyFromEnvironment01']) assert.ok(!result.out.includes(value), `${value} leaked`);
});

test('config print (child process): the effective YAML with no secret value in it', async () => {
  const result = await runCli(['print', '--config', VALID], { SHOP_KEY: 'app-ShopKeyFromEnvironment01' });
  assert.equal(result.code, 0, result.stderr);
  for (const value of [...Object.values(SAMPLE_SECRETS), 'app-ShopKeyFromEnvironment01']) {
    assert.ok(!result.stdout.includes(value), `${value} leaked:\n${result.stdout}`);
  }
  assert.match(result.stdout, /^ {4}token: "\[redacted\]"$/m);
  assert.match(result.stdout, /^ {6}apiKey: "\[redacted\]"$/m);
  assert.match(result.stdout, /^ {2}adminToken: "\[redacted\]"$/m);
  assert.match(result.stdout, /fetchPrompt: 回答还在生成中/, 'defaults are shown');
});

test('config print --json and a missing file', async () => {
  const printed = await runInProcess(['print', '--json', '--config', VALID], { SHOP_KEY: 'k' });
  assert.equal(printed.exitCode, 0, printed.err);
  const json = JSON.parse(printed.out) as { accounts: { ai: { apiKey: string } }[] };
  assert.equal(json.accounts[0]?.ai.apiKey, '[redacted]');

  const missing = path.join(tmp, 'absent.yaml');
  const result = await runInProcess(['check', '--config', missing]);
  assert.equal(result.exitCode, 1);
  assert.deepEqual(result.errLines, [`config file not found: ${missing} — create one from examples/mpgate.yaml, or pass --config <file>`]);
});

test('without --config, $MPGATE_CONFIG names the file', async () => {
  const result = await runInProcess(['check'], { MPGATE_CONFIG: THREE_MISTAKES });
  assert.equal(result.exitCode, 1);
  assert.deepEqual(result.errLines, EXPECTED_LINES);
});
