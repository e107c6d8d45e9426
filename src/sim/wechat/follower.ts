import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { randomInt } from 'node:crypto';
import { computeSignature, type PassiveReply } from '../../wechat/index.js';
import { WECHAT_CALLBACK_HEADERS, cryptoFor, deliverCallback, type CallbackAccount } from './callback-sender.js';
import { buildFollowerMessage, type FollowerMessage, type MessageMedia } from './follower-message.js';
import { newNonce, newOpenid, newOpenidPrefix, newTempMediaId, randomHex } from './ids.js';
import type { MediaKind } from './media-library.js';
import { judgeAnswer } from './reply-judge.js';
import { httpLink, inProcessLink, type SceneInfo, type SimulatorLink } from './sim-link.js';
import { WechatSimulator } from './simulator.js';
import type { CallbackMode, ReceivedCustomerMessage } from './types.js';

/** What WeChat shows the follower when the server answered nothing usable in time (reference §3.2). */
export const SERVICE_UNAVAILABLE_NOTICE = '该公众号暂时无法提供服务，请稍后再试';

/** The account the follower writes to: its server configuration (`sim.account` fits). */
export interface FollowerAccount {
  appId: string;
  token: string;
  /** Needed for compatible and safe modes. */
  encodingAESKey?: string | undefined;
  /** Default: a generated gh id (use the account's real one when the gateway checks it). */
  ghId?: string | undefined;
}

/** Options of {@link sendAsFollower}. */
export interface SendAsFollowerOptions {
  /** The gateway's callback URL, e.g. `http://127.0.0.1:8080/wechat/main`. */
  gatewayUrl: string;
  account: FollowerAccount;
  /** Default `safe` when the account has an EncodingAESKey, else `plain`. */
  mode?: CallbackMode;
  message: FollowerMessage;
  /** The follower; default a new follower (registered in the linked simulator). */
  openid?: string;
  /** How long WeChat waits for each delivery; default 5000 ms. */
  timeoutMs?: number;
  /** Deliveries in all (first + retries); default 3. */
  deliveries?: number;
  /** A simulator (object, or its base URL) to register the follower's interaction and files with, and to read 客服 messages from. */
  sim?: WechatSimulator | string;
  /** Wait after the deliveries until this many 客服 messages arrived (needs `sim`). */
  expectCustomerService?: number;
  /** How long to wait for them; default 5000 ms. */
  customerServiceTimeoutMs?: number;
}

/** One delivery as the follower side saw it. */
export interface FollowerDelivery {
  /** 1-based. */
  n: number;
  /** Sender clock (the simulator's when linked in-process), ms. */
  startedAt: number;
  endedAt: number;
  status?: number;
  /** `timeout`/`error` lead to another delivery; the others end the exchange. */
  outcome: 'reply' | 'success' | 'timeout' | 'invalid' | 'error';
  reply?: PassiveReply;
  /** Why an answer was judged invalid. */
  reason?: string;
  /** The connection error, for `error`. */
  error?: string;
}

/** A 客服 message with the delivery that was open when it arrived, if any. */
export type FollowerCustomerServiceMessage = ReceivedCustomerMessage & { duringDelivery?: number };

/** Everything the follower saw after sending one message. */
export interface FollowerView {
  openid: string;
  /** Normal messages only (a 64-bit decimal string). */
  msgId?: string;
  createTime: number;
  /** The plaintext XML that was sent (encrypted on the wire in compatible/safe mode). */
  xml: string;
  deliveries: FollowerDelivery[];
  /** The passive reply shown to the follower, with the delivery it came on. */
  passive?: PassiveReply & { delivery: number; at: number };
  /** Set when WeChat would show "该公众号暂时无法提供服务，请稍后再试". */
  invalidNotice?: string;
  /** 客服 messages received since the message was sent (needs `sim`). */
  customerService: FollowerCustomerServiceMessage[];
}

/** Small stand-ins for files a follower sends when the caller gives none. */
const PLACEHOLDER = {
  png: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64'),
  amr: Buffer.concat([Buffer.from('#!AMR\n'), Buffer.alloc(50, 0x7c)]),
  mp4: Buffer.from('00000018667479706d703432000000006d70343269736f6d', 'hex'),
};

function linkOf(sim: WechatSimulator | string | undefined): SimulatorLink | undefined {
  if (sim === undefined) return undefined;
  return sim instanceof WechatSimulator ? inProcessLink(sim) : httpLink(sim);
}

/** Stores the file a message carries (image, voice, video + thumb) so MediaId/PicUrl point at real bytes. */
async function mediaOf(message: FollowerMessage, appId: string, link: SimulatorLink | undefined): Promise<MessageMedia> {
  if (message.type !== 'image' && message.type !== 'voice' && message.type !== 'video' && message.type !== 'shortvideo') return {};
  const store = async (kind: MediaKind, data: Buffer, filename: string): Promise<{ mediaId: string; url: string }> =>
    link ? link.storeMedia(appId, kind, data, filename) : { mediaId: newTempMediaId(), url: `http://mmbiz.qpic.cn/mmbiz_jpg/${randomHex(16)}/0` };
  if (message.type === 'image') {
    if (message.mediaId !== undefined) return {};
    const m = await store('image', message.data ?? PLACEHOLDER.png, message.filename ?? (message.data ? 'image.jpg' : 'image.png'));
    return { mediaId: m.mediaId, picUrl: m.url };
  }
  if (message.type === 'voice') {
    if (message.mediaId !== undefined) return {};
    return { mediaId: (await store('voice', message.data ?? PLACEHOLDER.amr, message.filename ?? 'voice.amr')).mediaId };
  }
  const media: MessageMedia = {};
  if (message.mediaId === undefined) media.mediaId = (await store('video', message.data ?? PLACEHOLDER.mp4, message.filename ?? 'video.mp4')).mediaId;
  if (message.thumbMediaId === undefined) media.thumbMediaId = (await store('thumb', PLACEHOLDER.png, 'thumb.png')).mediaId;
  return media;
}

/** user/info's subscribe_scene for a follow event (a `qrscene_` EventKey means a parameter QR code). */
function sceneOf(message: FollowerMessage): SceneInfo {
  if (message.type !== 'event' || message.event.toLowerCase() !== 'subscribe') return {};
  const key = message.eventKey ?? '';
  if (!key.startsWith('qrscene_')) return { scene: 'ADD_SCENE_SEARCH' };
  const scene = key.slice('qrscene_'.length);
  return /^\d+$/.test(scene) ? { scene: 'ADD_SCENE_QR_CODE', qrScene: Number(scene) } : { scene: 'ADD_SCENE_QR_CODE', qrSceneStr: scene };
}

/**
 * Sends a message or event to a gateway as a follower, exactly like WeChat: XML signed (and encrypted in
 * compatible/safe mode), WeChat's headers, re-delivered on timeout or connection error with a fresh timestamp and
 * nonce; returns what the follower saw (passive reply or the invalid notice, and 客服 messages when linked).
 */
export async function sendAsFollower(options: SendAsFollowerOptions): Promise<FollowerView> {
  const { account } = options;
  const mode: CallbackMode = options.mode ?? (account.encodingAESKey ? 'safe' : 'plain');
  const link = linkOf(options.sim);
  const inProcess = options.sim instanceof WechatSimulator ? options.sim : undefined;
  const now = inProcess ? () => inProcess.now() : Date.now;
  const ghId = account.ghId ?? `gh_${randomHex(6)}`;
  const openid = options.openid ?? (link ? await link.addFollower(account.appId) : newOpenid(newOpenidPrefix()));
  const media = await mediaOf(options.message, account.appId, link);
  const built = buildFollowerMessage({ message: options.message, openid, ghId, now: now(), media });
  const since = link ? await link.clock() : now();
  const clockSkew = since - now();
  // The follower acted before WeChat delivers anything: the 客服 window is open while the gateway works.
  await link?.interact(account.appId, openid, built.trigger, sceneOf(options.message));

  const callbackAccount: CallbackAccount = { appId: account.appId, token: account.token, encodingAESKey: account.encodingAESKey, ghId };
  const crypto = cryptoFor(callbackAccount, mode);
  const exchanges = await deliverCallback({
    url: options.gatewayUrl,
    account: callbackAccount,
    mode,
    openid,
    xml: built.xml,
    timeoutMs: options.timeoutMs ?? 5000,
    deliveries: options.deliveries ?? 3,
    now,
  });

  const deliveries: FollowerDelivery[] = [];
  const view: FollowerView = { openid, createTime: built.createTime, xml: built.xml, deliveries, customerService: [] };
  if (built.msgId !== undefined) view.msgId = built.msgId;
  for (const e of exchanges) {
    const d: FollowerDelivery = { n: e.n, startedAt: e.startedAt, endedAt: e.endedAt, outcome: e.result === 'response' ? 'invalid' : e.result };
    if (e.status !== undefined) d.status = e.status;
    if (e.error !== undefined) d.error = e.error;
    if (e.result === 'response') {
      const verdict = await judgeAnswer(e, {
        mode,
        crypto,
        openid,
        ghId,
        maxNewsArticles: built.maxNewsArticles,
        ...(link ? { mediaExists: (id: string, kinds: readonly MediaKind[]) => link.hasMedia(account.appId, id, kinds) } : {}),
      });
      d.outcome = verdict.outcome;
      if (verdict.outcome === 'reply') {
        d.reply = verdict.reply;
        view.passive = { ...verdict.reply, delivery: e.n, at: e.endedAt };
      } else if (verdict.outcome === 'invalid') {
        d.reason = verdict.reason;
      }
    }
    deliveries.push(d);
  }
  const last = deliveries[deliveries.length - 1];
  if (!last || last.outcome === 'invalid' || last.outcome === 'timeout' || last.outcome === 'error') view.invalidNotice = SERVICE_UNAVAILABLE_NOTICE;

  if (link) {
    const expected = options.expectCustomerService ?? 0;
    const got = expected > 0 ? await link.waitForCustomerService(openid, expected, options.customerServiceTimeoutMs ?? 5000, since) : await link.received(openid, since);
    view.customerService = got.map((m) => {
      const local = m.at - clockSkew;
      const open = deliveries.find((d) => d.startedAt <= local && local <= d.endedAt);
      return open ? { ...m, duringDelivery: open.n } : m;
    });
  }
  return view;
}

/** The outcome of {@link verifyServer}. */
export interface VerifyServerResult {
  /** HTTP 200 with exactly the echostr as the body. */
  ok: boolean;
  status?: number;
  body?: string;
  echostr: string;
  error?: string;
}

/** WeChat's URL verification: GET with signature, timestamp, nonce and echostr; the server must echo echostr (reference §1.2). */
export function verifyServer(gatewayUrl: string, account: { token: string }, options: { timeoutMs?: number } = {}): Promise<VerifyServerResult> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = newNonce();
  const echostr = String(randomInt(1, 2 ** 47)) + String(randomInt(100_000, 999_999));
  const url = new URL(gatewayUrl);
  url.searchParams.set('signature', computeSignature(account.token, timestamp, nonce));
  url.searchParams.set('timestamp', timestamp);
  url.searchParams.set('nonce', nonce);
  url.searchParams.set('echostr', echostr);
  const { 'Content-Type': _contentType, ...headers } = WECHAT_CALLBACK_HEADERS;
  return new Promise((resolve) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, { method: 'GET', agent: false, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ ok: res.statusCode === 200 && body === echostr, status: res.statusCode ?? 0, body, echostr });
      });
    });
    const timer = setTimeout(() => {
      req.destroy();
      resolve({ ok: false, echostr, error: 'timeout' });
    }, options.timeoutMs ?? 5000);
    req.on('error', (e) => {
      clearTimeout(timer);
      resolve({ ok: false, echostr, error: e.message });
    });
    req.end();
  });
}
