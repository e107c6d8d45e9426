import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { pino } from 'pino';
import { MpgateError } from '../errors.js';
import type { WebhookEvent } from '../gateway/webhook.js';
import { startGatewayServer, type GatewayServer } from '../server/gateway-server.js';
import { startDifySimulator } from '../sim/dify/simulator.js';
import type { DifySimulator } from '../sim/dify/types.js';
import { startWechatSimulator, type WechatSimulator } from '../sim/wechat/simulator.js';
import { createStore } from '../store/create-store.js';
import type { Store } from '../store/store.js';
import { ChatTimeline } from './chat-timeline.js';
import { DEMO_ACCOUNT_ID, WECHAT_WINDOW_MS, demoConfig } from './demo-config.js';
import { DemoControls, type DemoSettings } from './demo-controls.js';
import { DEMO_MENU } from './demo-menu.js';
import { demoPicture } from './demo-picture.js';
import { registerDemoRoutes, type DemoState } from './demo-routes.js';
import { FollowerSession } from './follower-session.js';

/** Where `mpgate demo` listens by default. */
export const DEFAULT_DEMO_PORT = 8700;
/** Where the demo keeps its SQLite store by default (relative to the working directory). */
export const DEFAULT_DEMO_DATA_DIR = './data/demo';
/** The name in the chat's title bar. */
export const DEMO_ACCOUNT_NAME = 'mpgate 助手';

/** Options of {@link startDemo}. */
export interface DemoOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 8700; 0 = any free port. */
  port?: number;
  /** The SQLite store's folder; default `./data/demo`. */
  dataDir?: string;
  /** WeChat's wait per delivery; default the real 5000 ms. Tests shrink it; every gateway timing follows. */
  windowMs?: number;
  /** The AI's initial latency; default a fifth of the window (answers on the first delivery). */
  aiLatencyMs?: number;
  accountName?: string;
  /** The gateway's and the simulators' logger; default silent. */
  logger?: Logger;
}

/** A running demo. */
export interface Demo {
  /** The gateway's base URL (`http://host:port`). */
  url: string;
  /** The chat page. */
  pageUrl: string;
  /** The account's webhook, as WeChat calls it. */
  webhookUrl: string;
  server: GatewayServer;
  wechat: WechatSimulator;
  dify: DifySimulator;
  session: FollowerSession;
  controls: DemoControls;
  timeline: ChatTimeline;
  /** Stops everything: the page's requests, the gateway (open deliveries end), the simulators, the store. */
  close(): Promise<void>;
}

/** The demo could not start; `port` is set when the port was taken. */
export class DemoStartError extends MpgateError {
  constructor(
    code: 'DEMO_PORT_IN_USE' | 'DEMO_START_FAILED',
    message: string,
    readonly port?: number,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/**
 * Starts the whole product in one process: the WeChat simulator, the Dify simulator (a chat app with the demo's
 * scripted answers), and the real gateway with its SQLite store, wired together; the chat page and its API on
 * the gateway's port under `/demo/`.
 */
export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? DEFAULT_DEMO_PORT;
  const windowMs = options.windowMs ?? WECHAT_WINDOW_MS;
  const dataDir = resolve(options.dataDir ?? DEFAULT_DEMO_DATA_DIR);
  const logger = options.logger ?? pino({ level: 'silent' });
  const accountName = options.accountName ?? DEMO_ACCOUNT_NAME;

  const started: Array<{ close(): Promise<void> }> = [];
  const undo = async (): Promise<void> => {
    for (const s of started.reverse()) await s.close().catch(() => undefined);
  };
  try {
    const wechat = await startWechatSimulator({ host, port: 0, accounts: [{ verified: true }], logger: logger.child({ component: 'sim-wechat' }) });
    started.push(wechat);
    const dify = await startDifySimulator({ host, port: 0, apps: [{ mode: 'chat', name: accountName }], logger: logger.child({ component: 'sim-dify' }) });
    started.push(dify);
    const chatApp = dify.apps[0];
    if (!chatApp) throw new DemoStartError('DEMO_START_FAILED', 'the Dify simulator started without its chat app');

    const config = demoConfig({
      host,
      port,
      dataDir,
      windowMs,
      wechatApiBase: wechat.apiBase,
      account: wechat.account,
      difyServiceBase: dify.serviceBase,
      difyApiKey: chatApp.apiKey,
    });
    const account = config.accounts[0];
    if (!account) throw new DemoStartError('DEMO_START_FAILED', 'the demo config has no account');
    const store: Store = await createStore({ ...config.store, logger });
    started.push(store);

    const timeline = new ChatTimeline();
    const initial: DemoSettings = { aiLatencyMs: options.aiLatencyMs ?? Math.round(windowMs / 5), verified: true, difyFails: false, wechatBusy: false };
    const controls = new DemoControls({ wechat, dify, difyApiKey: chatApp.apiKey, store, accountId: DEMO_ACCOUNT_ID, picture: demoPicture(), timeline, initial });
    await controls.init();

    // Created once the gateway listens (it needs the webhook URL); the routes and `observe` reach it through this.
    const ref: { session?: FollowerSession } = {};
    const latencyPresets = [0.2, 1.4, 2.4, 5].map((f) => Math.round(windowMs * f));
    let webhookUrl = '';
    const state = (): DemoState => ({
      account: { id: DEMO_ACCOUNT_ID, name: accountName, appId: account.appId, webhook: webhookUrl },
      follower: { openid: ref.session?.openid ?? '', subscribed: ref.session?.subscribed ?? true },
      window: { timeoutMs: config.delivery.timeoutMs, attempts: config.delivery.attempts, safetyMarginMs: config.delivery.safetyMarginMs },
      fetchKeyword: account.fetchKeyword[0] ?? '继续',
      settings: controls.settings,
      latencyPresets,
      menu: DEMO_MENU,
    });

    let server: GatewayServer;
    try {
      server = await startGatewayServer({
        config,
        store,
        logger,
        observe: (event: WebhookEvent) => ref.session?.observe(event),
        extend: (app) =>
          registerDemoRoutes(app, {
            session: () => {
              if (!ref.session) throw new Error('the demo is still starting');
              return ref.session;
            },
            timeline,
            controls,
            wechat,
            state,
          }),
      });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new DemoStartError('DEMO_PORT_IN_USE', `port ${port} on ${host} is already in use (another mpgate demo, or another program)`, port, { cause: err });
      }
      throw err;
    }
    started.push(server);
    webhookUrl = `${server.url}/wechat/${DEMO_ACCOUNT_ID}`;
    const live = new FollowerSession({
      wechat,
      dify,
      store,
      timeline,
      gatewayUrl: webhookUrl,
      accountId: DEMO_ACCOUNT_ID,
      fetchKeywords: account.fetchKeyword,
      windowMs,
      deliveries: config.delivery.attempts,
      logger,
    });
    ref.session = live;
    timeline.log('demo', `gateway ready: WeChat window ${(windowMs / 1000).toFixed(1)} s × ${config.delivery.attempts} deliveries, AI latency ${(initial.aiLatencyMs / 1000).toFixed(1)} s`);

    let closing: Promise<void> | undefined;
    return {
      url: server.url,
      pageUrl: `${server.url}/demo/`,
      webhookUrl,
      server,
      wechat,
      dify,
      session: live,
      controls,
      timeline,
      close: () =>
        (closing ??= (async () => {
          timeline.close();
          const delivering = live.close();
          // Dify closes with the gateway so an AI call in progress ends now instead of after its latency.
          await Promise.all([server.close(), dify.close()]);
          await delivering;
          await wechat.close();
          await store.close();
        })()),
    };
  } catch (err) {
    await undo();
    throw err;
  }
}
