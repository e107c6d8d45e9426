import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import {
  sendAsFollower,
  startWechatSimulator,
  verifyServer,
  type FollowerAccount,
  type FollowerMessage,
  type FollowerView,
  type WechatSimAccount,
  type SimAccountInit,
} from '../sim/wechat/index.js';
import type { CallbackMode } from '../wechat/index.js';

/**
 * The simulator's development account when no credentials are given: fixed, so a gateway config written once
 * keeps working across simulator restarts. These are the simulator's fake credentials, printed on purpose.
 */
export const DEV_ACCOUNT: Required<Pick<SimAccountInit, 'appId' | 'appSecret' | 'token' | 'encodingAESKey' | 'ghId'>> = {
  appId: 'wx5e1a0c0ffee5e1a0',
  appSecret: '5e1a0c0ffee5e1a05e1a0c0ffee5e1a0',
  token: 'mpgateSimToken',
  encodingAESKey: 'mpgateSimulatorEncodingAESKey0123456789abcd',
  ghId: 'gh_5e1a0c0ffee0',
};
/** Where `mpgate sim wechat` listens by default. */
export const DEFAULT_SIM_PORT = 8701;

const MODES: readonly CallbackMode[] = ['plain', 'compatible', 'safe'];

function integer(name: string, min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}`);
    return n;
  };
}

interface ServeOptions {
  host: string;
  port: number;
  callback?: string;
  callbackMode: CallbackMode;
  publishDelay: number;
  unverified?: boolean;
  appId?: string;
  appSecret?: string;
  token?: string;
  aesKey?: string;
  ghId?: string;
}

interface SendOptions {
  gateway: string;
  mode?: CallbackMode;
  text?: string;
  event?: string;
  eventKey?: string;
  image?: string;
  openid?: string;
  appId?: string;
  token?: string;
  aesKey?: string;
  ghId?: string;
  sim?: string;
  timeout: number;
  deliveries: number;
  waitCs: number;
  json?: boolean;
}

function printStarted(apiBase: string, a: WechatSimAccount, callback: string | undefined): void {
  console.log(`WeChat simulator listening on ${apiBase}`);
  console.log(`  inspection API: ${apiBase}/_sim/   (accounts, followers/:openid/received, calls, faults, reset)`);
  console.log('');
  console.log('Test account (the simulator\'s fake credentials):');
  console.log(`  appId:          ${a.appId}`);
  console.log(`  appSecret:      ${a.appSecret}`);
  console.log(`  token:          ${a.token}`);
  console.log(`  encodingAESKey: ${a.encodingAESKey}`);
  console.log(`  ghId:           ${a.ghId}`);
  console.log(`  verified:       ${String(a.verified)}`);
  console.log(`  callback URL:   ${callback ?? '(none: PUBLISHJOBFINISH is not sent; use --callback)'}`);
  console.log('');
  console.log('In mpgate.yaml:');
  console.log(`  wechat: { apiBase: ${apiBase} }`);
  console.log(`  accounts: [{ id: main, appId: ${a.appId}, appSecret: ${a.appSecret}, token: ${a.token}, encodingAESKey: ${a.encodingAESKey}, … }]`);
  console.log('');
  console.log(`Send as a follower: mpgate sim wechat send --sim ${apiBase} --gateway http://127.0.0.1:8080/wechat/main --text "你好"`);
}

async function serve(options: ServeOptions): Promise<void> {
  const init: SimAccountInit = {
    appId: options.appId ?? DEV_ACCOUNT.appId,
    appSecret: options.appSecret ?? DEV_ACCOUNT.appSecret,
    token: options.token ?? DEV_ACCOUNT.token,
    encodingAESKey: options.aesKey ?? DEV_ACCOUNT.encodingAESKey,
    ghId: options.ghId ?? DEV_ACCOUNT.ghId,
    verified: !options.unverified,
    callbackMode: options.callbackMode,
  };
  const sim = await startWechatSimulator({
    host: options.host,
    port: options.port,
    accounts: [init],
    publishDelayMs: options.publishDelay,
    ...(options.callback ? { callbackUrl: options.callback } : {}),
  });
  printStarted(sim.apiBase, sim.account, options.callback);
  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function messageOf(options: SendOptions): FollowerMessage {
  const given = [options.text !== undefined, options.event !== undefined, options.image !== undefined].filter(Boolean).length;
  if (given !== 1) throw new InvalidArgumentError('give exactly one of --text, --event or --image');
  if (options.text !== undefined) return { type: 'text', content: options.text };
  if (options.image !== undefined) return { type: 'image', data: readFileSync(options.image), filename: basename(options.image) };
  return { type: 'event', event: options.event ?? '', ...(options.eventKey !== undefined ? { eventKey: options.eventKey } : {}) };
}

/** The account to sign with: flags first, else the linked simulator's default account, else the dev account. */
async function accountOf(options: SendOptions): Promise<FollowerAccount> {
  let base: FollowerAccount = { appId: DEV_ACCOUNT.appId, token: DEV_ACCOUNT.token, encodingAESKey: DEV_ACCOUNT.encodingAESKey, ghId: DEV_ACCOUNT.ghId };
  if (options.sim && (options.appId === undefined || options.token === undefined)) {
    const res = await fetch(`${options.sim.replace(/\/+$/, '')}/_sim/accounts`);
    const accounts = (await res.json()) as WechatSimAccount[];
    const first = accounts.find((a) => options.appId === undefined || a.appId === options.appId);
    if (!first) throw new Error(`the simulator at ${options.sim} has no account ${options.appId ?? ''}`);
    base = { appId: first.appId, token: first.token, encodingAESKey: first.encodingAESKey, ghId: first.ghId };
  }
  return {
    appId: options.appId ?? base.appId,
    token: options.token ?? base.token,
    encodingAESKey: options.aesKey ?? base.encodingAESKey,
    ghId: options.ghId ?? base.ghId,
  };
}

/** One line per delivery and what the follower ended up seeing. */
export function describeView(view: FollowerView): string[] {
  const lines: string[] = [`follower ${view.openid}${view.msgId ? ` (MsgId ${view.msgId})` : ''}`];
  for (const d of view.deliveries) {
    const took = `${d.endedAt - d.startedAt} ms`;
    const detail = d.outcome === 'reply' && d.reply ? ` ${d.reply.kind}` : d.reason ? `: ${d.reason}` : d.error ? `: ${d.error}` : '';
    lines.push(`  delivery ${d.n}: ${d.outcome}${d.status !== undefined ? ` (HTTP ${d.status})` : ''} after ${took}${detail}`);
  }
  const p = view.passive;
  if (p) {
    const shown =
      p.kind === 'text' ? p.content : p.kind === 'news' ? p.articles.map((a) => `[${a.title}](${a.url ?? ''})`).join(' ') : 'mediaId' in p ? `[${p.kind} ${p.mediaId}]` : `[${p.kind}]`;
    lines.push(`passive reply (delivery ${p.delivery}): ${shown}`);
  }
  if (view.invalidNotice) lines.push(`follower sees: ${view.invalidNotice}`);
  if (!p && !view.invalidNotice) lines.push('no passive reply (success / empty body)');
  for (const m of view.customerService) {
    lines.push(`客服 ${m.msgtype}${m.duringDelivery ? ` (during delivery ${m.duringDelivery})` : ''}: ${m.text ?? JSON.stringify(m.payload)}`);
  }
  return lines;
}

async function send(options: SendOptions): Promise<void> {
  const account = await accountOf(options);
  const view = await sendAsFollower({
    gatewayUrl: options.gateway,
    account,
    ...(options.mode ? { mode: options.mode } : {}),
    message: messageOf(options),
    ...(options.openid ? { openid: options.openid } : {}),
    timeoutMs: options.timeout,
    deliveries: options.deliveries,
    ...(options.sim ? { sim: options.sim } : {}),
    ...(options.waitCs > 0 ? { expectCustomerService: options.waitCs } : {}),
  });
  console.log(options.json ? JSON.stringify(view, null, 2) : describeView(view).join('\n'));
  if (view.invalidNotice) process.exitCode = 2;
}

function accountOptions(cmd: Command, what: string): Command {
  return cmd
    .option('--app-id <appId>', `AppID ${what}`)
    .option('--token <token>', `server-configuration Token ${what}`)
    .option('--aes-key <encodingAESKey>', `EncodingAESKey ${what}`)
    .option('--gh-id <ghId>', `original id (gh_…) ${what}`);
}

/** Registers `mpgate sim wechat …`. */
export function registerSimWechatCommands(sim: Command): void {
  const wechat = sim
    .command('wechat')
    .description('run the WeChat platform simulator (API + /_sim/ inspection), or act as a follower (send, verify)');

  // The server is the default subcommand, so `mpgate sim wechat --port N` runs it and its account flags never
  // collide with the follower flags of `send` (commander would hand a parent's --token to the parent).
  const serveCmd = wechat
    .command('serve', { isDefault: true })
    .description('run the simulator and print its apiBase and the test account (the default)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0 = any free port)', integer('--port', 0), DEFAULT_SIM_PORT)
    .option('--callback <url>', 'the gateway URL that receives PUBLISHJOBFINISH events')
    .addOption(new Option('--callback-mode <mode>', 'how those events are signed/encrypted').choices(MODES).default('safe'))
    .option('--publish-delay <ms>', 'how long a freepublish job stays "publishing"', integer('--publish-delay', 0), 3000)
    .option('--unverified', 'simulate an unverified account (48001 on 客服 and freepublish)');
  accountOptions(serveCmd, 'of the test account (default: a fixed development account)');
  serveCmd.option('--app-secret <secret>', 'AppSecret of the test account (default: a fixed development account)');
  serveCmd.action(async (options: ServeOptions) => serve(options));

  const sendCmd = wechat
    .command('send')
    .description('send a message or event to a gateway as a follower, and print what the follower saw')
    .requiredOption('--gateway <url>', 'the gateway callback URL, e.g. http://127.0.0.1:8080/wechat/main')
    .addOption(new Option('--mode <mode>', 'plain, compatible or safe (default: safe when an EncodingAESKey is known)').choices(MODES))
    .option('--text <content>', 'send a text message')
    .option('--event <name>', 'send an event (subscribe, CLICK, SCAN, …)')
    .option('--event-key <key>', 'EventKey of the event')
    .option('--image <file>', 'send an image message with this file')
    .option('--openid <openid>', 'the follower (default: a new one)')
    .option('--sim <url>', 'a running simulator to link: opens the 客服 window, stores sent files, collects 客服 messages')
    .option('--timeout <ms>', 'how long WeChat waits for each delivery', integer('--timeout', 1), 5000)
    .option('--deliveries <n>', 'deliveries in all (first + retries)', integer('--deliveries', 1), 3)
    .option('--wait-cs <n>', 'wait for this many 客服 messages (needs --sim)', integer('--wait-cs', 0), 0)
    .option('--json', 'print the full result as JSON');
  accountOptions(sendCmd, 'to sign with (default: the linked simulator\'s account, else the development account)');
  sendCmd.action(async (options: SendOptions) => send(options));

  wechat
    .command('verify')
    .description("do WeChat's URL verification (GET with echostr) against a gateway")
    .requiredOption('--gateway <url>', 'the gateway callback URL')
    .option('--token <token>', 'server-configuration Token', DEV_ACCOUNT.token)
    .action(async (options: { gateway: string; token: string }) => {
      const r = await verifyServer(options.gateway, { token: options.token });
      console.log(r.ok ? `verified: the gateway echoed echostr ${r.echostr}` : `NOT verified: ${r.error ?? `HTTP ${r.status ?? '?'} body ${JSON.stringify(r.body ?? '')}`}`);
      if (!r.ok) process.exitCode = 1;
    });
}
