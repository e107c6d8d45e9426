/**
 * The real CLI as a newcomer runs it: `mpgate demo --port 0` brings the page up with nothing else installed or
 * configured (no config file, no WeChat account, no Dify), and one message goes through.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { post, TimelineClient, textOf } from './support.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Starting tsx and three servers on a loaded 2-core machine can take a while; nothing waits this long normally. */
const PATIENCE_MS = 30_000;

interface Cli {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs `mpgate demo …` from the source tree, as in a fresh clone, with its store in a temp folder. */
function runDemo(args: string[], dataDir: string): Cli {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'demo', '--data', dataDir, ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Resolves with the page URL once the CLI has printed its whole banner; fails with the CLI's output otherwise. */
function pageUrlOf(cli: Cli): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no page URL within ${PATIENCE_MS} ms; the CLI printed:\n${cli.output()}`)), PATIENCE_MS);
    const check = (): void => {
      const url = /open (http:\/\/127\.0\.0\.1:\d+\/demo\/)/.exec(cli.output())?.[1];
      if (url && cli.output().includes('Press Ctrl+C to stop.')) done(undefined, url);
    };
    const done = (err?: Error, url?: string): void => {
      clearTimeout(timer);
      cli.child.stdout.off('data', check);
      if (err) reject(err);
      else resolve(url as string);
    };
    cli.child.stdout.on('data', check);
    void cli.exited.then((code) => done(new Error(`the CLI exited (${code}) before printing the page URL:\n${cli.output()}`)));
    check();
  });
}

test('`mpgate demo --port 0` prints the page URL, serves the page, and answers a message; Ctrl+C stops it', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mpgate-demo-cli-'));
  const cli = runDemo(['--port', '0'], dataDir);
  try {
    const pageUrl = await pageUrlOf(cli);
    assert.match(cli.output(), /gateway +http:\/\/127\.0\.0\.1:\d+\/wechat\/demo/);
    assert.ok(cli.output().includes(`SQLite store in ${dataDir}`));

    const page = await fetch(pageUrl);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<title>mpgate 助手 · mpgate demo<\/title>/);

    const base = new URL(pageUrl).origin;
    const sent = await post<{ itemId: string }>(base, '/demo/api/messages', { type: 'text', content: '你好' });
    assert.equal(sent.status, 202);
    const view = await new TimelineClient(base).until((v) => v.answersTo(sent.body.itemId).length > 0, 'the answer', PATIENCE_MS);
    const answer = view.answersTo(sent.body.itemId)[0];
    assert.match(textOf(answer), /^你好！我是 mpgate 演示里的 AI/);
    assert.deepEqual(answer?.arrival, { channel: 'passive', delivery: 1 }, 'the default AI latency fits in the real 5 s window');

    cli.child.kill('SIGINT');
    assert.equal(await cli.exited, 0);
    assert.match(cli.output(), /mpgate demo: stopping/);
  } finally {
    cli.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a port in use: the CLI names the port and how to choose another, and exits with 1', async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as { port: number }).port;
  const dataDir = mkdtempSync(join(tmpdir(), 'mpgate-demo-cli-'));
  const cli = runDemo(['--port', String(port)], dataDir);
  try {
    assert.equal(await cli.exited, 1, cli.output());
    assert.match(cli.output(), new RegExp(`mpgate demo: port ${port} on 127\\.0\\.0\\.1 is already in use`));
    assert.match(cli.output(), /Choose another port: mpgate demo --port \d+ +\(or --port 0 for any free port\)/);
  } finally {
    cli.child.kill('SIGKILL');
    await new Promise((resolve) => blocker.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
});
