import { join } from 'node:path';
import { loadConfigFromObject } from '../config/load-config.js';
import type { MpgateConfig } from '../config/schema.js';
import type { WechatSimAccount } from '../sim/wechat/types.js';
import { menuClickActions } from './demo-menu.js';

/** The demo's one account: its webhook is `/wechat/demo`. */
export const DEMO_ACCOUNT_ID = 'demo';
/** WeChat's real window; tests shrink it. */
export const WECHAT_WINDOW_MS = 5000;

/** What the demo config is built from. */
export interface DemoConfigInput {
  host: string;
  port: number;
  /** Folder of the SQLite file (`mpgate.db`). */
  dataDir: string;
  /** WeChat's wait per delivery; every gateway timing is scaled from it. */
  windowMs: number;
  wechatApiBase: string;
  account: WechatSimAccount;
  difyServiceBase: string;
  difyApiKey: string;
}

/**
 * The gateway config of the demo: one account wired to the WeChat simulator's test account and the Dify
 * simulator's chat app. Timings keep the real proportions when the window is shrunk (margin 10 %, push pause
 * 10 %), the AI may take as long as the demo's slowest latency setting, and the menu's clicks do what the menu says.
 */
export function demoConfig(input: DemoConfigInput): MpgateConfig {
  const w = input.windowMs;
  const aiTimeoutMs = Math.max(60_000, w * 12);
  return loadConfigFromObject(
    {
      server: { host: input.host, port: input.port },
      store: { driver: 'sqlite', path: join(input.dataDir, 'mpgate.db') },
      wechat: { apiBase: input.wechatApiBase, timeoutMs: 5000 },
      delivery: {
        timeoutMs: w,
        attempts: 3,
        safetyMarginMs: Math.round(w / 10),
        pushDelayMs: Math.round(w / 10),
        pollMs: Math.max(5, Math.min(50, Math.round(w / 20))),
      },
      logging: { level: 'warn' },
      accounts: [
        {
          id: DEMO_ACCOUNT_ID,
          appId: input.account.appId,
          appSecret: input.account.appSecret,
          token: input.account.token,
          encodingAESKey: input.account.encodingAESKey,
          mode: 'safe',
          verified: 'auto',
          events: { click: menuClickActions() },
          ai: {
            baseUrl: input.difyServiceBase,
            apiKey: input.difyApiKey,
            app: 'chat',
            timeoutMs: aiTimeoutMs,
            firstEventTimeoutMs: aiTimeoutMs,
            idleTimeoutMs: aiTimeoutMs,
          },
        },
      ],
    },
    { env: {} },
  );
}
