import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { startDifySimulator } from '../sim/dify/index.js';
import type { DifySimulator } from '../sim/dify/types.js';
import type { BackupOptions, BackupResult } from './backup.js';
import { backupsConfigSchema, type BackupsConfig } from './config-schema.js';
import { listDatedArchives } from './retention.js';
import { BackupScheduler } from './scheduler.js';
import { verifyArchive } from './verify.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mpgate-scheduler-'));
let sim: DifySimulator;
before(async () => {
  sim = await startDifySimulator({ version: '1.14.1', apps: [{ mode: 'chat', name: 'Bot' }, { mode: 'workflow', name: 'Flow' }, { mode: 'completion', name: 'Writer' }] });
});
after(async () => {
  await sim.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function config(extra: Record<string, unknown> = {}): BackupsConfig {
  return backupsConfigSchema.parse({ cron: '0 3 * * *', target: path.join(tmp, 'scheduled'), url: sim.origin, email: sim.credentials.email, passwordEnv: 'DIFY_PW', ...extra });
}

function captureLogs(): { logger: Logger; text: () => string } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), text: () => lines.join('') };
}

describe('backupsConfigSchema', () => {
  it('applies defaults to a minimal section', () => {
    const parsed = config();
    assert.equal(parsed.enabled, true);
    assert.equal(parsed.keep, 7);
    assert.equal(parsed.concurrency, 4);
    assert.equal(parsed.zip, false);
    assert.equal(parsed.includeSecret, false);
  });

  it('names the key of every problem', () => {
    const result = backupsConfigSchema.safeParse({
      cron: 'every night',
      target: '',
      url: 'ftp://dify',
      apiKeyEnv: 'my secret key!',
      mode: 'chatbot',
      timezone: 'Mars/Olympus',
    });
    assert.equal(result.success, false);
    const problems = result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    for (const expected of [
      /^cron: must be a cron expression/,
      /^target: must not be empty/,
      /^url: must be an http:\/\/ or https:\/\/ URL/,
      /^apiKeyEnv: must be the NAME of an environment variable/,
      /^mode: must be one or more of chat, agent-chat/,
      /^timezone: must be an IANA time zone/,
      /^workspace: is required with apiKeyEnv/,
    ]) {
      assert.ok(problems.some((p) => expected.test(p)), `${expected} in\n${problems.join('\n')}`);
    }
  });

  it('credentials: one mode only, complete', () => {
    const both = backupsConfigSchema.safeParse({ cron: '0 3 * * *', target: 't', url: 'http://d', email: 'a@b', passwordEnv: 'P', apiKeyEnv: 'K', workspace: 'w' });
    assert.match(both.success ? '' : (both.error.issues[0]?.message ?? ''), /either email \+ passwordEnv, or apiKeyEnv \+ workspace/);
    const none = backupsConfigSchema.safeParse({ cron: '0 3 * * *', target: 't', url: 'http://d' });
    assert.match(none.success ? '' : (none.error.issues[0]?.message ?? ''), /credentials are required/);
    const noEnv = backupsConfigSchema.safeParse({ cron: '0 3 * * *', target: 't', url: 'http://d', email: 'a@b' });
    assert.deepEqual(noEnv.success ? [] : noEnv.error.issues.map((i) => i.path.join('.')), ['passwordEnv']);
  });
});

describe('BackupScheduler', () => {
  it('a run backs up into a dated archive and sets the success counters', async () => {
    sim.reset();
    const scheduler = new BackupScheduler({ config: config({ keep: 3 }), env: { DIFY_PW: sim.credentials.password }, backup: { retry: { retries: 0, baseDelayMs: 1 } } });
    const outcome = await scheduler.runNow();
    assert.equal(outcome.ok, true, outcome.ok ? '' : outcome.error);
    const counters = scheduler.counters;
    assert.equal(counters.runs, 1);
    assert.equal(counters.failures, 0);
    assert.equal(counters.appsFailed, 0);
    assert.ok(counters.lastSuccessAt instanceof Date);
    assert.equal(counters.lastFailureAt, undefined);
    const archives = await listDatedArchives(path.join(tmp, 'scheduled'));
    assert.equal(archives.length, 1);
    assert.equal(counters.lastArchive, archives[0]?.path);
    assert.equal((await verifyArchive(archives[0]?.path ?? '')).ok, true);
  });

  it('failures are logged with each failed app and counted; the password is never logged', async () => {
    sim.reset();
    sim.failExport(sim.app('Writer')?.id ?? '', 'missing-draft');
    sim.failExport(sim.app('Flow')?.id ?? '', 'missing-draft');
    const logs = captureLogs();
    const scheduler = new BackupScheduler({ config: config({ target: path.join(tmp, 'failing') }), env: { DIFY_PW: sim.credentials.password }, logger: logs.logger });
    const outcome = await scheduler.runNow();
    assert.equal(outcome.ok, false);
    const counters = scheduler.counters;
    assert.equal(counters.failures, 1);
    assert.equal(counters.appsFailed, 2);
    assert.ok(counters.lastFailureAt instanceof Date);
    assert.match(counters.lastError ?? '', /2 of 3 apps failed: "Flow" \(.*\): HTTP 400 invalid_param.*; "Writer"/);
    const text = logs.text();
    assert.match(text, /"level":50.*scheduled dify backup failed: 2 of 3 apps failed/);
    assert.match(text, /"name":"Writer"/);
    assert.ok(!text.includes(sim.credentials.password));
  });

  it('a missing environment variable is a failed run naming the variable', async () => {
    const scheduler = new BackupScheduler({ config: config(), env: {} });
    const outcome = await scheduler.runNow();
    assert.equal(outcome.ok, false);
    assert.match(outcome.ok ? '' : outcome.error, /environment variable DIFY_PW \(named by backups\.passwordEnv\) is not set/);
    assert.equal(scheduler.counters.failures, 1);
  });

  it('runs never overlap: a second trigger while one runs joins it', async () => {
    let calls = 0;
    let release: () => void = () => undefined;
    const run = async (_options: BackupOptions): Promise<BackupResult> => {
      calls += 1;
      await new Promise<void>((resolve) => (release = resolve));
      return { ok: true, archive: 'x', difyVersion: undefined, apps: [], failed: [], manifest: { formatVersion: 1, createdAt: new Date().toISOString(), source: { url: 'x' }, apps: [] }, pruned: [] };
    };
    const scheduler = new BackupScheduler({ config: config(), env: { DIFY_PW: 'x' }, run });
    const first = scheduler.runNow();
    const second = scheduler.runNow();
    assert.equal(first, second);
    assert.equal(scheduler.counters.running, true);
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await first;
    assert.equal(calls, 1);
    assert.equal(scheduler.counters.running, false);
  });

  it('the cron schedule fires (every second, for this test) and stop() ends it; disabled never starts', async () => {
    let calls = 0;
    const run = async (options: BackupOptions): Promise<BackupResult> => {
      calls += 1;
      assert.equal(options.keep, 7);
      return { ok: true, archive: 'x', difyVersion: undefined, apps: [], failed: [], manifest: { formatVersion: 1, createdAt: new Date().toISOString(), source: { url: 'x' }, apps: [] }, pruned: [] };
    };
    const scheduler = new BackupScheduler({ config: config({ cron: '* * * * * *' }), env: { DIFY_PW: 'x' }, run });
    scheduler.start();
    assert.ok(scheduler.counters.nextRunAt instanceof Date);
    const deadline = Date.now() + 3000;
    while (calls === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    await scheduler.stop();
    assert.ok(calls >= 1, 'the schedule ran the backup');
    const after = calls;
    assert.equal(scheduler.counters.nextRunAt, undefined);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.equal(calls, after, 'no run after stop()');

    const disabled = new BackupScheduler({ config: config({ enabled: false, cron: '* * * * * *' }), env: {}, run });
    disabled.start();
    assert.equal(disabled.counters.nextRunAt, undefined);
    await disabled.stop();
  });
});
