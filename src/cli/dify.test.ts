// `mpgate dify backup | verify | restore` in-process (commander parseAsync, captured output) and as a
// real child process, against the Dify simulator over real HTTP.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { MANIFEST_FILE } from '../backup/manifest.js';
import { startDifySimulator } from '../sim/dify/index.js';
import type { DifySimulator } from '../sim/dify/types.js';
import { registerDifyCommands } from './dify.js';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mpgate-cli-dify-'));
const PASSWORD_ENV = 'MPGATE_TEST_DIFY_PASSWORD';
const APPS = [
  { mode: 'chat' as const, name: '客服助手' },
  { mode: 'workflow' as const, name: 'Flow', publishedVersions: 2 },
  { mode: 'completion' as const, name: 'Writer' },
  { mode: 'agent-chat' as const, name: 'Agent' },
  { mode: 'advanced-chat' as const, name: 'Chatflow' },
];

let sim: DifySimulator;
let env: Record<string, string>;
before(async () => {
  sim = await startDifySimulator({ version: '1.14.1', apps: APPS, loginMaxErrors: 2 });
  env = { [PASSWORD_ENV]: sim.credentials.password, MPGATE_TEST_ADMIN_KEY: sim.adminApiKey ?? '' };
});
after(async () => {
  await sim.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => sim.reset());

class ExitCalled extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** Runs `mpgate dify …` in this process; returns what it printed and the exit code it set. */
async function runInProcess(args: string[], options: { env?: Record<string, string>; tty?: boolean } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const program = new Command('mpgate');
  registerDifyCommands(program, {
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s), isTTY: options.tty === true, columns: 120 },
    env: options.env ?? env,
    exit: (code) => {
      throw new ExitCalled(code);
    },
  });
  const saved = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync(['node', 'mpgate', 'dify', ...args]);
    return { out: out.join(''), err: err.join(''), code: process.exitCode ?? 0 };
  } catch (e) {
    if (e instanceof ExitCalled) return { out: out.join(''), err: err.join(''), code: e.code };
    throw e;
  } finally {
    process.exitCode = saved;
  }
}

/** Runs `mpgate dify …` as a child process. */
async function runChild(args: string[], childEnv: Record<string, string> = env) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'dify', ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...childEnv },
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

const login = () => ['--url', sim.origin, '--email', sim.credentials.email, '--password-env', PASSWORD_ENV];

describe('dify backup (in process)', () => {
  it('exit 0: one quiet line per app on stderr (not a TTY), the summary on stdout', async () => {
    const out = path.join(tmp, 'ok');
    const result = await runInProcess(['backup', ...login(), '--out', out, '--versions']);
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, new RegExp(`^Archive: ${out}\nBacked up 5 of 5 apps \\(5 written, 0 unchanged\\) from Dify 1\\.14\\.1\\.\n$`));
    const lines = result.err.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^Backing up 5 apps from Dify 1\.14\.1 into /);
    assert.equal(lines.filter((l) => /^saved {5}\[\d\/5\] /.test(l)).length, 5);
    assert.ok(!result.err.includes('\r'), 'no progress bar when stderr is not a terminal');
    assert.ok(fs.existsSync(path.join(out, MANIFEST_FILE)));
    assert.ok(!(result.out + result.err).includes(sim.credentials.password), 'the password is never printed');
  });

  it('exit 1 when apps fail: each named with why; the rest saved', async () => {
    for (const name of ['Writer', 'Agent', 'Chatflow']) sim.failExport(sim.app(name)?.id ?? '', name === 'Agent' ? 'missing-draft' : '5xx');
    const result = await runInProcess(['backup', ...login(), '--out', path.join(tmp, 'partial'), '--retries', '1']);
    assert.equal(result.code, 1);
    assert.match(result.out, /Backed up 2 of 5 apps/);
    const failedBlock = result.err.slice(result.err.indexOf('3 apps failed to export:'));
    assert.match(failedBlock, /"Agent" \([0-9a-f-]{36}\): HTTP 400 invalid_param: Missing draft workflow configuration/);
    assert.match(failedBlock, /"Chatflow" \([0-9a-f-]{36}\): HTTP 500 internal_server_error.*gave up after 2 attempts/);
    assert.match(failedBlock, /"Writer" \([0-9a-f-]{36}\): HTTP 500/);
  });

  it('on a TTY: a progress bar redrawn in place, failures printed above it', async () => {
    sim.failExport(sim.app('Writer')?.id ?? '', 'missing-draft');
    const result = await runInProcess(['backup', ...login(), '--out', path.join(tmp, 'tty')], { tty: true });
    assert.equal(result.code, 1);
    // Each redraw starts with carriage return + "erase line".
    const frames = result.err.split('\r\u001b[2K').slice(1);
    assert.ok(frames.length >= 3, `${frames.length} redraws`);
    assert.ok(frames.some((f) => /^Backing up \[█*░+\] [0-4]\/5 apps/.test(f)), 'a partial bar');
    assert.ok(frames.some((f) => /^Backing up \[█{24}\] 5\/5 apps, 1 failed/.test(f)), 'the full bar');
    assert.ok(frames.some((f) => /^FAILED Writer \(/.test(f)), 'the failure above the bar');
    assert.ok(!/^saved /m.test(result.err), 'no per-app lines on a terminal');
  });

  it('exit 2: --password is refused and never echoed; it points to --password-env', async () => {
    const result = await runInProcess(['backup', '--url', sim.origin, '--email', sim.credentials.email, '--password', 'hunter2-plain', '--out', path.join(tmp, 'x')]);
    assert.equal(result.code, 2);
    assert.match(result.err, /--password is not accepted .* pass its name with --password-env <VAR>/);
    assert.ok(!result.err.includes('hunter2-plain'));
    assert.equal(sim.calls().length, 0, 'nothing was sent');
  });

  it('exit 2: missing env var, missing --out, bad number, unknown option — each with the reason', async () => {
    const missingEnv = await runInProcess(['backup', ...login(), '--out', path.join(tmp, 'y')], { env: {} });
    assert.equal(missingEnv.code, 2);
    assert.match(missingEnv.err, new RegExp(`environment variable ${PASSWORD_ENV} \\(named by --password-env\\) is not set`));
    const noOut = await runInProcess(['backup', ...login()]);
    assert.equal(noOut.code, 2);
    assert.match(noOut.err, /--out <dir> is required/);
    const badNumber = await runInProcess(['backup', ...login(), '--out', path.join(tmp, 'z'), '--concurrency', 'lots']);
    assert.equal(badNumber.code, 2);
    assert.match(badNumber.err, /--concurrency must be a whole number from 1 to 64 \(got "lots"\)/);
    const unknown = await runInProcess(['backup', ...login(), '--out', path.join(tmp, 'z'), '--frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /unknown option '--frobnicate'/);
  });

  it('exit 2 on login errors: bad credentials, then the lockout, then an unsupported version for admin-key mode', async () => {
    const wrong = { [PASSWORD_ENV]: 'not-the-password' };
    const bad = await runInProcess(['backup', ...login(), '--out', path.join(tmp, 'bad')], { env: wrong });
    assert.equal(bad.code, 2);
    assert.match(bad.err, /login failed \(bad_credentials\): login as admin@mpgate\.local failed: wrong email or password/);
    // The simulator locks after more than loginMaxErrors (2) failures, as Dify does after more than 5.
    for (let i = 0; i < 2; i += 1) await runInProcess(['backup', ...login(), '--out', path.join(tmp, 'bad')], { env: wrong });
    const locked = await runInProcess(['backup', ...login(), '--out', path.join(tmp, 'bad')]);
    assert.equal(locked.code, 2);
    assert.match(locked.err, /login failed \(account_locked\)/);

    sim.setVersion('1.10.1');
    const admin = await runInProcess(['backup', '--url', sim.origin, '--api-key-env', 'MPGATE_TEST_ADMIN_KEY', '--workspace', sim.workspaceId, '--out', path.join(tmp, 'adm')]);
    assert.equal(admin.code, 2);
    assert.match(admin.err, /login failed \(version_not_supported\): admin API key mode does not work on Dify 1\.10\.1/);
    assert.ok(!admin.err.includes(sim.adminApiKey ?? '∅'), 'the admin key is never printed');
    sim.setVersion('1.14.1');
  });

  it('--include-secret warns on stderr; admin-key mode works from --api-key-env', async () => {
    const result = await runInProcess(['backup', '--url', sim.origin, '--api-key-env', 'MPGATE_TEST_ADMIN_KEY', '--workspace', sim.workspaceId, '--out', path.join(tmp, 'secret'), '--include-secret']);
    assert.equal(result.code, 0, result.err);
    assert.match(result.err, /^warning: --include-secret: the archive will hold secret environment variables/m);
  });
});

describe('dify verify and restore (in process)', () => {
  it('verify: exit 0 with a summary; exit 1 listing each problem', async () => {
    const out = path.join(tmp, 'to-verify');
    assert.equal((await runInProcess(['backup', ...login(), '--out', out, '--versions'])).code, 0);
    const ok = await runInProcess(['verify', out]);
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /^OK .*to-verify \(directory\): 5 apps, 3 published versions, Dify 1\.14\.1, made \d{4}-/);

    const manifest = JSON.parse(fs.readFileSync(path.join(out, MANIFEST_FILE), 'utf8')) as { apps: Array<{ file: string }> };
    fs.appendFileSync(path.join(out, manifest.apps[0]?.file ?? ''), '# tampered\n');
    fs.rmSync(path.join(out, manifest.apps[1]?.file ?? ''));
    const bad = await runInProcess(['verify', out]);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /SHA-256 mismatch/);
    assert.match(bad.err, /missing: the DSL of/);
    assert.match(bad.err, /2 problems; the archive does not verify\./);
    const json = await runInProcess(['verify', out, '--json']);
    assert.equal(json.code, 1);
    assert.equal((JSON.parse(json.out) as { problems: unknown[] }).problems.length, 2);
  });

  it('restore: a dry run prints the plan; a real run imports (skipping what exists) and reports', async () => {
    const out = path.join(tmp, 'to-restore');
    assert.equal((await runInProcess(['backup', ...login(), '--out', out])).code, 0);
    const dry = await runInProcess(['restore', out, ...login(), '--dry-run', '--on-conflict', 'rename', '--only', 'Writer', 'Flow']);
    assert.equal(dry.code, 0, dry.err);
    assert.match(dry.out, /would import "Writer" \([0-9a-f-]{36}\) as "Writer \(restored\)": "Writer" \([0-9a-f-]{36}\) already exists/);
    assert.match(dry.out, /Dry run: 2 apps would be imported, 0 skipped; nothing was sent\./);
    assert.equal(sim.calls({ path: '/console/api/apps/imports' }).length, 0);

    const skipped = await runInProcess(['restore', out, ...login()]);
    assert.equal(skipped.code, 0, skipped.err);
    assert.match(skipped.out, /Restored 0 of 5 apps into Dify 1\.14\.1 \(5 skipped, 0 failed\)\./);

    const renamed = await runInProcess(['restore', out, ...login(), '--on-conflict', 'rename', '--only', 'Writer']);
    assert.equal(renamed.code, 0, renamed.err);
    assert.match(renamed.out, /imported "Writer" \([0-9a-f-]{36}\) as "Writer \(restored\)" → app [0-9a-f-]{36}/);
    assert.ok(sim.app('Writer (restored)'));

    const badPolicy = await runInProcess(['restore', out, ...login(), '--on-conflict', 'overwrite']);
    assert.equal(badPolicy.code, 2);
    assert.match(badPolicy.err, /Allowed choices are skip, rename, new/);
  });
});

describe('as a child process (real argv, stdout/stderr and exit codes)', () => {
  it('exit 0 for a backup, 1 for verifying a tampered archive, 2 for a password on the command line', async () => {
    const out = path.join(tmp, 'child');
    const ok = await runChild(['backup', ...login(), '--out', out]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /Backed up 5 of 5 apps/);

    const manifest = JSON.parse(fs.readFileSync(path.join(out, MANIFEST_FILE), 'utf8')) as { apps: Array<{ file: string }> };
    fs.writeFileSync(path.join(out, manifest.apps[0]?.file ?? ''), 'app: {}\nkind: app\nversion: "0.6.0"\n');
    const tampered = await runChild(['verify', out]);
    assert.equal(tampered.code, 1);
    assert.match(tampered.stderr, /SHA-256 mismatch/);

    const refused = await runChild(['backup', '--url', sim.origin, '--email', sim.credentials.email, '--password', 'hunter2-plain', '--out', out]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--password is not accepted/);
    assert.ok(!refused.stderr.includes('hunter2-plain'));
  });

  it('exit 1 when some apps fail, exit 2 for an unknown option', async () => {
    sim.failExport(sim.app('Writer')?.id ?? '', 'missing-draft');
    const partial = await runChild(['backup', ...login(), '--out', path.join(tmp, 'child-partial')]);
    assert.equal(partial.code, 1);
    assert.match(partial.stderr, /1 app failed to export:\n {2}"Writer"/);
    const usage = await runChild(['verify']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /missing required argument 'archive'/);
  });
});
