import type { Logger } from 'pino';
import type { AccountConfig } from '../config/account-schema.js';
import { WechatCrypto } from '../wechat/crypto.js';
import { WechatCryptoError, WechatXmlError } from '../wechat/errors.js';
import type { InboundMessage } from '../wechat/inbound-message.js';
import { parseEnvelope, parseMessage, messageFromFields } from '../wechat/parse-message.js';
import { buildEncryptedReply, buildReply, replyAddress, SUCCESS_REPLY, type PassiveReply } from '../wechat/reply.js';
import { computeMsgSignature, computeSignature, signatureMatches } from '../wechat/signature.js';
import type { DeliveryDecision, DeliveryEngine, HangupSignal } from './delivery-engine.js';
import type { WechatKeyIndex } from '../wechat/crypto.js';
import { encodeJobInput, type JobInput } from './job-input.js';
import { messageKey } from './message-key.js';
import type { OutMessage } from './out-message.js';
import type { ReplayGuard } from './replay-guard.js';

/** One HTTP request to `/wechat/:accountId`, independent of the server framework. */
export interface WebhookRequest {
  method: string;
  accountId: string;
  query: Record<string, string | undefined>;
  body?: Uint8Array | undefined;
  /** Aborted when WeChat drops the connection (an AbortSignal, or any `{ aborted }`). */
  signal?: HangupSignal | undefined;
  /** When the request arrived (epoch ms); defaults to now. */
  receivedAt?: number;
}

/** What to answer; `hold` means answer nothing and let WeChat time out (it will deliver again). */
export type WebhookResponse =
  | { status: number; body: string; contentType: 'text/plain' | 'application/xml' }
  | { status: 'hold' };

/** An account as the webhook needs it: its config, its crypto, and its follower-facing texts. */
export interface WebhookAccount {
  config: AccountConfig;
  crypto: WechatCrypto | undefined;
  resetCommands: ReadonlySet<string>;
  fetchKeywords: ReadonlySet<string>;
  /** The follower-facing texts, placeholders filled. */
  text: (key: keyof AccountConfig['messages']) => string;
}

/** The routing decision for a verified message: handled here at once, or queued for the worker. */
export type MessageRoute = { kind: 'reply'; message: OutMessage | undefined } | { kind: 'job'; input: JobInput };

export interface WebhookHooks {
  /** Decides what a verified message needs (default: text → AI job, everything else → per the defaults). */
  route: (account: WebhookAccount, message: InboundMessage) => Promise<MessageRoute> | MessageRoute;
  /** The final delivery gave up: whether the answer will be pushed (waiting text) or must be fetched. */
  canPush: (account: WebhookAccount) => Promise<boolean>;
  /** Shows "typing…" to a follower who waits for a pushed answer (errors ignored). */
  typing?: (account: WebhookAccount, openid: string) => Promise<void>;
  /** Observes every outcome, for metrics and the demo's event log. */
  observe?: (event: WebhookEvent) => void;
}

/** What happened to one request, for metrics and logs (no message content). */
export type WebhookEvent =
  | { type: 'refused'; accountId: string; status: number; reason: string }
  | { type: 'delivery'; accountId: string; openid: string; messageKey: string; delivery: number; outcome: DeliveryDecision['kind'] | 'inline' };

export interface WebhookOptions {
  accounts: ReadonlyMap<string, WebhookAccount>;
  engine: DeliveryEngine;
  replayGuard: ReplayGuard;
  hooks: WebhookHooks;
  logger?: Logger | undefined;
  now?: () => number;
}

const refused = (status: number, body: string): WebhookResponse => ({ status, body, contentType: 'text/plain' });

/**
 * The WeChat callback endpoint: verifies every request (invariant 5), then hands the message to the delivery
 * engine and turns its decision into a passive reply. A refused request makes no AI call and stores nothing.
 */
export class Webhook {
  readonly #o: WebhookOptions;
  readonly #now: () => number;

  constructor(options: WebhookOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
  }

  /** Handles one request. */
  async handle(req: WebhookRequest): Promise<WebhookResponse> {
    const account = this.#o.accounts.get(req.accountId);
    if (!account) return this.#refuse(req.accountId, 404, 'unknown account');
    const { timestamp, nonce } = req.query;
    if (!timestamp || !nonce) return this.#refuse(req.accountId, 400, 'missing timestamp or nonce');
    if (req.method === 'GET') return this.#verifyServer(account, req.query, timestamp, nonce);
    if (req.method !== 'POST') return this.#refuse(req.accountId, 405, 'method not allowed');
    try {
      return await this.#callback(account, req, timestamp, nonce);
    } catch (err) {
      if (err instanceof WechatXmlError) return this.#refuse(req.accountId, 400, `malformed body: ${err.reason}`);
      if (err instanceof WechatCryptoError) return this.#refuse(req.accountId, 400, `cannot decrypt: ${err.reason}`);
      throw err;
    }
  }

  /** GET: WeChat's server check. For Official Accounts the echostr is plaintext even in safe mode. */
  #verifyServer(account: WebhookAccount, query: WebhookRequest['query'], timestamp: string, nonce: string): WebhookResponse {
    const expected = computeSignature(account.config.token, timestamp, nonce);
    if (!signatureMatches(query.signature, expected)) return this.#refuse(account.config.id, 401, 'bad signature');
    return { status: 200, body: query.echostr ?? '', contentType: 'text/plain' };
  }

  async #callback(account: WebhookAccount, req: WebhookRequest, timestamp: string, nonce: string): Promise<WebhookResponse> {
    const receivedAt = req.receivedAt ?? this.#now();
    const body = req.body ?? new Uint8Array();
    const envelope = parseEnvelope(body);
    const cfg = account.config;

    let message: InboundMessage;
    let keyIndex: WechatKeyIndex | undefined; // set when the request was encrypted: the reply must be too
    if (envelope.encrypt !== undefined && account.crypto && cfg.mode !== 'plain') {
      const expected = computeMsgSignature(cfg.token, timestamp, nonce, envelope.encrypt);
      if (!signatureMatches(req.query.msg_signature, expected)) return this.#refuse(cfg.id, 401, 'bad msg_signature');
      const decrypted = account.crypto.decryptDetailed(envelope.encrypt);
      keyIndex = decrypted.keyIndex;
      message = parseMessage(decrypted.xml);
    } else {
      // Never fall back to plaintext where encryption is required.
      if (cfg.mode === 'safe') return this.#refuse(cfg.id, 400, 'safe mode requires an encrypted body');
      if (!signatureMatches(req.query.signature, computeSignature(cfg.token, timestamp, nonce))) {
        return this.#refuse(cfg.id, 401, 'bad signature');
      }
      if (!envelope.plaintextFields) return this.#refuse(cfg.id, 400, 'no plaintext fields');
      message = messageFromFields(envelope.plaintextFields);
    }
    if (req.query.openid !== undefined && req.query.openid !== message.fromUserName) {
      return this.#refuse(cfg.id, 400, 'openid does not match the sender');
    }

    const key = messageKey({
      fromUserName: message.fromUserName,
      createTime: message.createTime,
      msgId: 'msgId' in message ? message.msgId : undefined,
      event: message.kind === 'event' || message.kind === 'unknown' ? message.event : undefined,
      eventKey: typeof message.raw.EventKey === 'string' ? message.raw.EventKey : undefined,
    });
    const verdict = await this.#o.replayGuard.check(cfg.id, timestamp, nonce, key);
    if (verdict === 'stale') return this.#refuse(cfg.id, 400, 'stale timestamp');
    if (verdict === 'replayed') return this.#refuse(cfg.id, 400, 'replayed request');

    const openid = message.fromUserName;
    const respond = (out: OutMessage | undefined): WebhookResponse => this.#reply(account, message, out, nonce, keyIndex);
    const route = await this.#o.hooks.route(account, message);
    if (route.kind === 'reply') {
      this.#o.hooks.observe?.({ type: 'delivery', accountId: cfg.id, openid, messageKey: key, delivery: 1, outcome: 'inline' });
      return respond(route.message);
    }

    const decision = await this.#o.engine.deliver({
      owner: { account: cfg.id, openid },
      messageKey: key,
      receivedAt,
      payload: encodeJobInput(route.input),
      signal: req.signal,
    });
    this.#o.hooks.observe?.({ type: 'delivery', accountId: cfg.id, openid, messageKey: key, delivery: decision.delivery, outcome: decision.kind });
    switch (decision.kind) {
      case 'reply':
        return respond(decision.message);
      case 'success':
        return respond(undefined);
      case 'no-reply':
        return { status: 'hold' };
      case 'late': {
        if (await this.#o.hooks.canPush(account)) {
          void this.#o.hooks.typing?.(account, openid).catch(() => undefined);
          const waiting = account.text('waiting');
          return respond(waiting ? { type: 'text', text: waiting } : undefined);
        }
        return respond({ type: 'text', text: account.text('fetchPrompt') });
      }
    }
  }

  #reply(
    account: WebhookAccount,
    to: InboundMessage,
    out: OutMessage | undefined,
    nonce: string,
    keyIndex: WechatKeyIndex | undefined,
  ): WebhookResponse {
    const passive = out && toPassiveReply(out, to, Math.floor(this.#now() / 1000));
    if (!passive) return { status: 200, body: SUCCESS_REPLY, contentType: 'text/plain' };
    const xml = buildReply(passive);
    if (keyIndex === undefined || !account.crypto) return { status: 200, body: xml, contentType: 'application/xml' };
    const encrypted = buildEncryptedReply(account.crypto, xml, Math.floor(this.#now() / 1000), nonce, { keyIndex });
    return { status: 200, body: encrypted, contentType: 'application/xml' };
  }

  #refuse(accountId: string, status: number, reason: string): WebhookResponse {
    this.#o.hooks.observe?.({ type: 'refused', accountId, status, reason });
    this.#o.logger?.warn({ account: accountId, status, reason }, 'webhook request refused');
    return refused(status, reason);
  }
}

/** The passive reply for an answer part. */
export function toPassiveReply(out: OutMessage, to: InboundMessage, createTime: number): PassiveReply {
  const address = replyAddress(to, createTime);
  switch (out.type) {
    case 'text':
      return { kind: 'text', ...address, content: out.text };
    case 'image':
      return { kind: 'image', ...address, mediaId: out.mediaId };
    case 'voice':
      return { kind: 'voice', ...address, mediaId: out.mediaId };
    case 'video':
      return { kind: 'video', ...address, mediaId: out.mediaId, title: out.title, description: out.description };
    case 'news':
      return {
        kind: 'news',
        ...address,
        articles: [{ title: out.article.title, description: out.article.description, picUrl: out.article.picUrl, url: out.article.url }],
      };
  }
}

/** Builds the runtime view of an account from its config. */
export function webhookAccount(config: AccountConfig, fill: (template: string) => string): WebhookAccount {
  const crypto = config.encodingAESKey
    ? new WechatCrypto({
        token: config.token,
        encodingAESKey: config.encodingAESKey,
        appId: config.appId,
        previousEncodingAESKey: config.previousEncodingAESKey,
      })
    : undefined;
  return {
    config,
    crypto,
    resetCommands: new Set(config.conversation.resetCommands),
    fetchKeywords: new Set(config.fetchKeyword),
    text: (key) => fill(config.messages[key]),
  };
}
