import { z } from 'zod';
import type { DifySimulator } from '../sim/dify/types.js';
import type { WechatSimulator } from '../sim/wechat/simulator.js';
import type { Store } from '../store/store.js';
import { demoScript } from './demo-answers.js';
import type { ChatTimeline } from './chat-timeline.js';

/** The side panel's switches. */
export interface DemoSettings {
  /** How long the AI takes before it starts answering, ms. */
  aiLatencyMs: number;
  /** The account is verified (may push 客服 messages); unverified accounts fall back to the fetch keyword. */
  verified: boolean;
  /** Dify answers every call with HTTP 500. */
  difyFails: boolean;
  /** WeChat answers every 客服 send with -1 (system busy). */
  wechatBusy: boolean;
}

/** A change from the page; the latency is capped so a demo AI never outlives the gateway's AI timeout. */
export const settingsChangeSchema = z.strictObject({
  aiLatencyMs: z.number().int().min(0).max(60_000).optional(),
  verified: z.boolean().optional(),
  difyFails: z.boolean().optional(),
  wechatBusy: z.boolean().optional(),
});
export type SettingsChange = z.infer<typeof settingsChangeSchema>;

/** A path of the WeChat API the busy switch breaks. */
const CUSTOM_SEND = '/cgi-bin/message/custom/send';
/** Effectively "until switched off": the simulator counts faults down per call. */
const BUSY_CALLS = 1_000_000;

export interface DemoControlsOptions {
  wechat: WechatSimulator;
  dify: DifySimulator;
  difyApiKey: string;
  store: Store;
  accountId: string;
  picture: Buffer;
  timeline: ChatTimeline;
  initial: DemoSettings;
}

/**
 * Applies the side panel's settings to the simulators: the Dify app's script (latency, failure), the account's
 * verification in the WeChat simulator, and a standing -1 fault on 客服 sends.
 */
export class DemoControls {
  readonly #o: DemoControlsOptions;
  #settings: DemoSettings;

  constructor(options: DemoControlsOptions) {
    this.#o = options;
    this.#settings = { ...options.initial };
  }

  get settings(): DemoSettings {
    return { ...this.#settings };
  }

  /** Applies the initial settings (also over what a previous run left in the store). */
  async init(): Promise<void> {
    await this.#apply(this.#settings, undefined);
  }

  /** Applies a change and logs it; returns the settings now in force. */
  async change(change: SettingsChange): Promise<DemoSettings> {
    const next: DemoSettings = { ...this.#settings, ...stripUndefined(change) };
    const before = this.#settings;
    this.#settings = next;
    await this.#apply(next, before);
    return this.settings;
  }

  /** Applies what differs from `before` (everything when there is no `before`), and logs the changes. */
  async #apply(next: DemoSettings, before: DemoSettings | undefined): Promise<void> {
    const { wechat, dify, timeline } = this.#o;
    const appId = wechat.account.appId;
    dify.script(this.#o.difyApiKey, demoScript({ latencyMs: next.aiLatencyMs, fails: next.difyFails, picture: this.#o.picture }));
    if (next.verified !== before?.verified) {
      wechat.setCapability(appId, { verified: next.verified });
      await this.#rememberPushCapability(next.verified);
    }
    if (next.wechatBusy !== before?.wechatBusy) {
      wechat.clearFaults();
      if (next.wechatBusy) wechat.injectFault({ path: CUSTOM_SEND, appId, errcode: -1, times: BUSY_CALLS });
    }
    if (!before) return;
    if (next.aiLatencyMs !== before.aiLatencyMs) timeline.log('demo', `AI latency set to ${(next.aiLatencyMs / 1000).toFixed(1)} s`);
    if (next.verified !== before.verified) {
      timeline.log('demo', next.verified ? 'account verified: late answers are pushed by 客服' : 'account unverified (48001): late answers wait for the keyword');
    }
    if (next.difyFails !== before.difyFails) timeline.log('demo', next.difyFails ? 'fault on: Dify answers HTTP 500' : 'fault off: Dify answers again');
    if (next.wechatBusy !== before.wechatBusy) timeline.log('demo', next.wechatBusy ? 'fault on: WeChat answers 客服 sends with -1 (system busy)' : 'fault off: WeChat accepts 客服 sends');
  }

  /**
   * The gateway learns "cannot push" from a 48001 and remembers it in the store (`cap:nopush:<account>`, see
   * src/gateway/push-capability.ts). The switch sets or forgets that memory so it takes effect at once, the way
   * a restart with `verified: true|false` would.
   */
  async #rememberPushCapability(verified: boolean): Promise<void> {
    const key = `cap:nopush:${this.#o.accountId}`;
    if (verified) await this.#o.store.delete(key);
    else await this.#o.store.set(key, '48001', { ttlMs: 24 * 3600_000 });
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
