/**
 * Real `mpgate serve` processes on one SQLite store: a gateway killed with SIGKILL while an answer waits for
 * its push pushes it exactly once after a restart; deliveries of one message alternating between two
 * processes make one Dify call and one answer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { stringify } from 'yaml';
import { startDifySimulator, type DifySimulator } from '../../src/sim/dify/index.js';
import { sendAsFollower } from '../../src/sim/wechat/follower.js';
import { startWechatSimulator, type WechatSimulator } from '../../src/sim/wechat/simulator.js';

const WINDOW = 1000;

interface Gateway {
  child: ChildProcess;
  url: string;
}

async function startGateway(configPath: string): Promise<Gateway> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--config', configPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start: ${out}`)), 20_000);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`gateway exited (${code}): ${out}`)));
  });
  return { child, url };
}

async function stop(g: Gateway | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!g || g.child.exitCode !== null || g.child.signalCode !== null) return;
  const exited = new Promise((r) => g.child.once('exit', r));
  g.child.kill(signal);
  await exited;
}

function writeConfig(dir: string, wechat: WechatSimulator, dify: DifySimulator, windowMs = WINDOW): string {
  const chat = dify.apps.find((a) => a.mode === 'chat');
  assert.ok(chat);
  const path = join(dir, 'mpgate.yaml');
  writeFileSync(
    path,
    stringify({
      server: { host: '127.0.0.1', port: 0 },
      store: { driver: 'sqlite', path: join(dir, 'mpgate.db') },
      wechat: { apiBase: wechat.apiBase },
      delivery: { timeoutMs: windowMs, safetyMarginMs: 150, pollMs: 10, pushDelayMs: 20 },
      logging: { level: 'warn' },
      accounts: [
        {
          id: 'main',
          appId: wechat.account.appId,
          appSecret: wechat.account.appSecret,
          token: wechat.account.token,
          encodingAESKey: wechat.account.encodingAESKey,
          ai: { baseUrl: dify.serviceBase, apiKey: chat.apiKey, app: 'chat' },
        },
      ],
    }),
  );
  return path;
}

function jobState(dbPath: string): string | undefined {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare("SELECT value FROM kv WHERE key LIKE 'job:%'").get() as { value: string } | undefined;
    return row && (JSON.parse(row.value) as { state: string }).state;
  } finally {
    db.close();
  }
}

async function until<T>(what: string, timeoutMs: number, probe: () => T | undefined | false): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('kill -9 while an answer waits for its push → pushed exactly once after restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mpgate-crash-'));
  const wechat = await startWechatSimulator({ port: 0 });
  // A wider window here: the kill must land between the answer (1.5 windows) and the push at the end of the
  // retry window (3 windows), even on a loaded machine.
  const window = WINDOW * 2;
  const dify = await startDifySimulator({ port: 0, latencyMs: window * 1.5 });
  const configPath = writeConfig(dir, wechat, dify, window);
  let gateway: Gateway | undefined;
  try {
    gateway = await startGateway(configPath);
    const openid = 'oCrashRestart000000000000001';
    // WeChat gives up after one delivery: the answer, ready at 1.5 windows, waits for the push at the end of the retry window.
    const view = await sendAsFollower({
      gatewayUrl: `${gateway.url}/wechat/main`,
      account: wechat.account,
      message: { type: 'text', content: '崩溃前的问题' },
      openid,
      timeoutMs: window,
      deliveries: 1,
      sim: wechat,
    });
    assert.deepEqual(view.deliveries.map((d) => d.outcome), ['timeout']);
    await until('the answer to be stored', window * 10, () => jobState(join(dir, 'mpgate.db')) === 'answered');
    await stop(gateway, 'SIGKILL');
    assert.equal(jobState(join(dir, 'mpgate.db')), 'answered', 'killed before the push began (the test needs that)');
    assert.equal(wechat.received(openid).length, 0, 'not pushed yet');

    gateway = await startGateway(configPath);
    await until('the push', window * 10, () => wechat.received(openid).length > 0);
    await new Promise((r) => setTimeout(r, window)); // any duplicate would arrive meanwhile
    const received = wechat.received(openid);
    assert.equal(received.length, 1, 'exactly once');
    assert.equal(received[0]?.text, '崩溃前的问题');
    assert.equal(dify.calls().filter((c) => c.kind === 'generation').length, 1, 'one Dify call');
  } finally {
    await stop(gateway);
    await dify.close();
    await wechat.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Forwards each request to the next upstream in turn (WeChat's deliveries landing on different instances). */
function roundRobin(upstreams: string[]): Promise<{ server: Server; url: string; hits: number[] }> {
  const hits = upstreams.map(() => 0);
  let next = 0;
  const server = createServer((req, res) => {
    const i = next++ % upstreams.length;
    hits[i]!++;
    const target = new URL(req.url ?? '/', upstreams[i]);
    const upstream = request(target, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy()); // WeChat hanging up reaches the gateway
    req.pipe(upstream);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, hits });
    }),
  );
}

test('two processes on one SQLite store, deliveries alternating between them → one Dify call, one answer', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mpgate-two-'));
  const wechat = await startWechatSimulator({ port: 0 });
  const dify = await startDifySimulator({ port: 0, latencyMs: WINDOW * 1.5 });
  const configPath = writeConfig(dir, wechat, dify);
  const gateways: Gateway[] = [];
  let proxy: Awaited<ReturnType<typeof roundRobin>> | undefined;
  try {
    gateways.push(await startGateway(configPath), await startGateway(configPath));
    proxy = await roundRobin(gateways.map((g) => g.url));
    const view = await sendAsFollower({
      gatewayUrl: `${proxy.url}/wechat/main`,
      account: wechat.account,
      message: { type: 'text', content: '两个进程' },
      timeoutMs: WINDOW,
      deliveries: 3,
      sim: wechat,
    });
    assert.equal(view.invalidNotice, undefined);
    assert.equal(view.passive?.delivery, 2, 'answered on the second delivery, by the other process');
    assert.equal(view.passive?.kind === 'text' && view.passive.content, '两个进程');
    assert.deepEqual(proxy.hits, [1, 1]);
    assert.equal(dify.calls().filter((c) => c.kind === 'generation').length, 1, 'one Dify call');
    assert.deepEqual(view.customerService, [], 'no second answer by push');
  } finally {
    proxy?.server.close();
    for (const g of gateways) await stop(g);
    await dify.close();
    await wechat.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SIGTERM: an open delivery still gets its answer, then the process exits 0', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mpgate-term-'));
  const wechat = await startWechatSimulator({ port: 0 });
  const dify = await startDifySimulator({ port: 0, latencyMs: WINDOW * 0.5 });
  const configPath = writeConfig(dir, wechat, dify);
  let gateway: Gateway | undefined;
  try {
    gateway = await startGateway(configPath);
    const exited = new Promise<number | null>((resolve) => gateway?.child.once('exit', (code) => resolve(code)));
    const sending = sendAsFollower({
      gatewayUrl: `${gateway.url}/wechat/main`,
      account: wechat.account,
      message: { type: 'text', content: '关机前' },
      timeoutMs: WINDOW,
      deliveries: 1,
      sim: wechat,
    });
    await until('the AI call', WINDOW * 5, () => dify.calls().some((c) => c.kind === 'generation'));
    gateway.child.kill('SIGTERM');
    const view = await sending;
    assert.equal(view.passive?.kind === 'text' && view.passive.content, '关机前', 'answered during shutdown');
    assert.equal(await exited, 0);
  } finally {
    await stop(gateway);
    await dify.close();
    await wechat.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
