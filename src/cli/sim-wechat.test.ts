import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { buildTextReply, computeSignature, parseMessage, replyAddress } from '../wechat/index.js';
import { startWechatSimulator, type WechatSimulator } from '../sim/wechat/index.js';
import { startToyGateway, type ToyGateway } from '../sim/wechat/test-support/toy-gateway.js';
import { buildProgram } from './program.js';
import { DEV_ACCOUNT } from './sim-wechat.js';

/** Runs `mpgate …` in-process and returns what it printed and the exit code it set (restoring both). */
async function runWithCode(args: string[]): Promise<{ out: string; exitCode: number }> {
  const lines: string[] = [];
  const original = console.log;
  const originalCode = process.exitCode;
  console.log = (...parts: unknown[]) => lines.push(parts.map(String).join(' '));
  try {
    await buildProgram().exitOverride().parseAsync(['node', 'mpgate', ...args]);
    return { out: lines.join('\n'), exitCode: Number(process.exitCode ?? 0) };
  } finally {
    console.log = original;
    process.exitCode = originalCode;
  }
}
const run = async (args: string[]): Promise<string> => (await runWithCode(args)).out;

describe('mpgate sim wechat', () => {
  let gateway: ToyGateway;
  let sim: WechatSimulator;
  before(async () => {
    // Answers only when signed with the token it expects, so the test proves which --token was used.
    gateway = await startToyGateway((r) => {
      const q = r.query;
      if (q.get('signature') !== computeSignature('cliToken42', q.get('timestamp') ?? '', q.get('nonce') ?? '')) return { status: 403, body: 'bad signature' };
      if (r.method === 'GET') return { body: q.get('echostr') ?? '', contentType: 'text/plain' };
      const m = parseMessage(r.body);
      return { body: buildTextReply(replyAddress(m, 1700000000), `got ${m.kind === 'text' ? m.content : m.kind}`) };
    });
    sim = await startWechatSimulator({ accounts: [{ token: 'cliToken42' }] });
  });
  after(async () => {
    await gateway.close();
    await sim.close();
  });

  test('send --text signs with --token and prints the passive reply', async () => {
    const out = await run(['sim', 'wechat', 'send', '--gateway', gateway.url, '--mode', 'plain', '--text', '你好', '--token', 'cliToken42', '--timeout', '2000']);
    assert.match(out, /delivery 1: reply \(HTTP 200\)/);
    assert.match(out, /passive reply \(delivery 1\): got 你好/);
  });

  test('send --sim takes the account from the running simulator', async () => {
    const out = await run(['sim', 'wechat', 'send', '--gateway', gateway.url, '--sim', sim.apiBase, '--mode', 'plain', '--event', 'CLICK', '--event-key', 'K', '--json']);
    const view = JSON.parse(out) as { openid: string; passive: { content: string } };
    assert.equal(view.passive.content, 'got event');
    assert.equal(sim.followers().find((f) => f.openid === view.openid)?.window.remaining, 3, 'the click opened a 3-message window');
  });

  test('a wrong token is reported as what the follower sees', async () => {
    const { out, exitCode } = await runWithCode(['sim', 'wechat', 'send', '--gateway', gateway.url, '--mode', 'plain', '--text', 'x', '--token', 'otherToken']);
    assert.match(out, /delivery 1: invalid \(HTTP 403\)/);
    assert.match(out, /follower sees: 该公众号暂时无法提供服务，请稍后再试/);
    assert.equal(exitCode, 2);
  });

  test('verify does the GET echostr check', async () => {
    assert.match(await run(['sim', 'wechat', 'verify', '--gateway', gateway.url, '--token', 'cliToken42']), /^verified/);
  });

  test('`mpgate sim wechat --port 0` serves the API and prints apiBase and the development account', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'sim', 'wechat', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      child.stdout.setEncoding('utf8');
      const base = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start-up line; got: ${out}`)), 15_000);
        child.stdout.on('data', (chunk: string) => {
          out += chunk;
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m?.[1] && out.includes('ghId')) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        });
      });
      assert.match(out, new RegExp(`appId: +${DEV_ACCOUNT.appId}`));
      assert.match(out, new RegExp(`encodingAESKey: +${DEV_ACCOUNT.encodingAESKey}`));
      const res = await fetch(`${base}/cgi-bin/token?grant_type=client_credential&appid=${DEV_ACCOUNT.appId}&secret=${DEV_ACCOUNT.appSecret}`);
      assert.equal(((await res.json()) as { expires_in: number }).expires_in, 7200);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});
