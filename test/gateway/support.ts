/** Test bed for the gateway: the WeChat simulator, a gateway server on 127.0.0.1, and an AI stand-in. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { loadConfigFromObject } from '../../src/config/load-config.js';
import type { MpgateConfig } from '../../src/config/schema.js';
import type { Answerer } from '../../src/gateway/message-handler.js';
import { startGatewayServer, type GatewayServer } from '../../src/server/gateway-server.js';
import { sendAsFollower, type FollowerView } from '../../src/sim/wechat/follower.js';
import type { FollowerMessage } from '../../src/sim/wechat/follower-message.js';
import { startWechatSimulator, type WechatSimulator } from '../../src/sim/wechat/simulator.js';

/** WeChat's window, shrunk: every timing of the gateway is derived from it. */
export const WINDOW_MS = 400;
export const DIFY_BASE = 'http://127.0.0.1:9/v1'; // unused when an answerer replaces Dify

export interface Bed {
  sim: WechatSimulator;
  server: GatewayServer;
  config: MpgateConfig;
  dbPath: string;
  /** Sends as a follower through WeChat's delivery rules; `expectPush` waits for that many 客服 messages. */
  send(message: FollowerMessage | string, options?: { openid?: string; expectPush?: number; deliveries?: number }): Promise<FollowerView>;
  /** Rows in the store's tables (kv, queue), to check that a refused request left nothing. */
  rows(): { kv: number; queue: number };
  close(): Promise<void>;
}

export interface BedOptions {
  answerer?: Answerer;
  /** Overrides for accounts[0]. */
  account?: Record<string, unknown>;
  aiBaseUrl?: string;
  aiApiKey?: string;
  verifiedInSim?: boolean;
}

/** Starts the simulator and a gateway sharing a SQLite file in a temp dir. */
export async function startBed(options: BedOptions = {}): Promise<Bed> {
  const dir = mkdtempSync(join(tmpdir(), 'mpgate-gw-'));
  const dbPath = join(dir, 'mpgate.db');
  const sim = await startWechatSimulator({ port: 0 });
  if (options.verifiedInSim === false) sim.setCapability(sim.account.appId, { verified: false });
  const config = loadConfigFromObject(
    {
      server: { host: '127.0.0.1', port: 0 },
      store: { driver: 'sqlite', path: dbPath },
      wechat: { apiBase: sim.apiBase, timeoutMs: 2000 },
      delivery: { timeoutMs: WINDOW_MS, safetyMarginMs: 80, pollMs: 10, pushDelayMs: 20 },
      logging: { level: 'silent' },
      accounts: [
        {
          id: 'main',
          appId: sim.account.appId,
          appSecret: sim.account.appSecret,
          token: sim.account.token,
          encodingAESKey: sim.account.encodingAESKey,
          ai: { baseUrl: options.aiBaseUrl ?? DIFY_BASE, apiKey: options.aiApiKey ?? 'app-test', app: 'chat', timeoutMs: 20_000, firstEventTimeoutMs: 10_000, idleTimeoutMs: 10_000 },
          ...options.account,
        },
      ],
    },
    { env: {} },
  );
  const answerers = options.answerer ? new Map([['main', options.answerer]]) : undefined;
  const server = await startGatewayServer({ config, answerers });
  return {
    sim,
    server,
    config,
    dbPath,
    send: (message, o = {}) =>
      sendAsFollower({
        gatewayUrl: `${server.url}/wechat/main`,
        account: sim.account,
        mode: 'safe',
        message: typeof message === 'string' ? { type: 'text', content: message } : message,
        timeoutMs: WINDOW_MS,
        deliveries: o.deliveries ?? 3,
        sim,
        ...(o.openid !== undefined && { openid: o.openid }),
        ...(o.expectPush !== undefined && { expectCustomerService: o.expectPush, customerServiceTimeoutMs: WINDOW_MS * 10 }),
      }),
    rows: () => {
      const db = new Database(dbPath, { readonly: true });
      try {
        const count = (table: string): number => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
        return { kv: count('kv'), queue: count('queue_items') };
      } finally {
        db.close();
      }
    },
    close: async () => {
      await server.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The text of the passive reply the follower saw, if it was a text. */
export const passiveText = (view: FollowerView): string | undefined => (view.passive?.kind === 'text' ? view.passive.content : undefined);

/** An AI stand-in that answers after a delay and counts its calls. */
export function slowAnswerer(delayMs: number, answer: string | ((query: string) => string)): Answerer & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    ask: async (_owner, query) => {
      calls.push(query);
      await new Promise((r) => setTimeout(r, delayMs));
      return { text: typeof answer === 'string' ? answer : answer(query), files: [] };
    },
  };
}

/** A request seen by a {@link RecordingProxy}: JSON bodies parsed, other bodies by size only. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  contentType: string;
  json?: Record<string, unknown>;
  /** The first 512 bytes of any other body (latin1), e.g. a multipart part's headers. */
  head?: string;
  bytes: number;
}

/** An HTTP proxy in front of a simulator that records what the gateway sent (the simulators validate, not record, bodies). */
export interface RecordingProxy {
  /** The proxy's base: `target`'s path prefix on the proxy's origin. */
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Starts a recording proxy for `target` (e.g. the Dify simulator's `serviceBase`); responses stream through unchanged. */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const { createServer, request } = await import('node:http');
  const upstream = new URL(target);
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const contentType = String(req.headers['content-type'] ?? '');
      const record: RecordedRequest = { method: req.method ?? 'GET', path: (req.url ?? '').split('?')[0] ?? '', contentType, bytes: body.length };
      if (contentType.includes('application/json') && body.length > 0) record.json = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      else if (body.length > 0) record.head = body.subarray(0, 512).toString('latin1');
      requests.push(record);
      const forward = request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname.replace(/\/$/, '')}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
