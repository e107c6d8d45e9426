import type { Logger } from 'pino';
import type { CallbackMode } from '../../wechat/index.js';

/** How WeChat signs and encrypts callbacks (plain, compatible, safe): the protocol core's type. */
export type { CallbackMode };

/** A simulated Official Account to create; every field has a generated default. */
export interface SimAccountInit {
  appId?: string;
  appSecret?: string;
  /** The server-configuration Token used to sign callbacks. */
  token?: string;
  encodingAESKey?: string;
  ghId?: string;
  /** Verified accounts may use 客服, freepublish and media/get/jssdk; default true. */
  verified?: boolean;
  /** true = the simulator refuses our IP (40164); default false. */
  ipWhitelist?: boolean;
  /** Where the platform POSTs events of its own (PUBLISHJOBFINISH); defaults to the simulator's `callbackUrl`. */
  callbackUrl?: string;
  /** How those callbacks are signed/encrypted; default `safe`. */
  callbackMode?: CallbackMode;
  /** Followers to register up front: their openids, or how many to generate. */
  followers?: string[] | number;
}

/** A simulated account's identity (the simulator's fake credentials). `verified` follows `setCapability`. */
export interface WechatSimAccount {
  readonly appId: string;
  readonly appSecret: string;
  readonly token: string;
  readonly encodingAESKey: string;
  readonly ghId: string;
  verified: boolean;
}

/** publish_status values a publish job can end in (reference §2.2): 0 success, 2 originality, 3 general, 4 review. */
export type WechatSimPublishOutcome = 0 | 2 | 3 | 4;

/** Switches that change how the platform treats one account. */
export interface WechatSimCapabilities {
  verified: boolean;
  /** true = our IP is not in the whitelist: every API call answers 40164. */
  ipWhitelist: boolean;
  /** How the next freepublish jobs end; default 0 (success). */
  publishStatus: WechatSimPublishOutcome;
  /** 1-based article indexes reported as failed for status 2/4 (default: every article). */
  publishFailIdx?: number[];
}

/** One recorded API call (never the token or the secret). */
export interface WechatSimCall {
  method: string;
  path: string;
  appId?: string;
  /** Simulator clock, ms. */
  at: number;
  errcode: number;
}

/** A fault to inject into matching API calls, before any other rule. */
export interface WechatSimFault {
  /** e.g. `/cgi-bin/message/custom/send`; any path when omitted. */
  path?: string;
  appId?: string;
  errcode: number;
  /** Overrides the standard errmsg (the rid suffix is still added). */
  errmsg?: string;
  /** How many calls fail; default 1. */
  times?: number;
}

/** A 客服 message as the follower received it. */
export interface ReceivedCustomerMessage {
  /** Simulator clock, ms. */
  at: number;
  appId: string;
  openid: string;
  msgtype: string;
  /** The message object (`body[msgtype]`), e.g. `{ content }` for text. */
  payload: Record<string, unknown>;
  /** The whole request body as sent. */
  body: Record<string, unknown>;
  /** Shortcut for text messages. */
  text?: string;
}

/** What starts or refreshes a 客服 window (reference §4). */
export type InteractionTrigger = 'message' | 'click' | 'subscribe' | 'scan' | 'unsubscribe' | 'other';

/** Options of {@link startWechatSimulator}. */
export interface WechatSimulatorOptions {
  host?: string;
  /** 0 = any free port. */
  port?: number;
  /** Accounts to create; the first is `sim.account`. One account is generated when omitted. */
  accounts?: SimAccountInit[];
  /** How long a freepublish job stays `publishing` (1) before it ends; default 1000 ms. */
  publishDelayMs?: number;
  /** Where PUBLISHJOBFINISH events go for accounts without their own `callbackUrl`. */
  callbackUrl?: string;
  /** Timeout and delivery count for the platform's own callbacks (PUBLISHJOBFINISH); defaults 5000 ms and 3. */
  callbackTimeoutMs?: number;
  callbackDeliveries?: number;
  /** The platform clock in ms (default `Date.now`); tests move it to cross windows and expiries. */
  now?: () => number;
  /** Temporary image size limit; default 2 MB (reference §12; the doc list says 10 MB). */
  tempImageLimitBytes?: number;
  /** Overrides of the daily per-API quotas, keyed by path (e.g. `{ '/cgi-bin/token': 2 }`). */
  dailyQuotas?: Record<string, number>;
  /** Overrides of the permanent material totals (images + news 100,000; others 1,000 each). */
  materialLimits?: Partial<Record<'image' | 'voice' | 'video' | 'thumb', number>>;
  logger?: Logger;
}
