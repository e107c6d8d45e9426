import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { WechatCrypto, cdata, computeSignature } from '../../wechat/index.js';
import { newNonce } from './ids.js';
import type { CallbackMode } from './types.js';

/** What signing a callback needs: the account's server configuration. */
export interface CallbackAccount {
  appId: string;
  token: string;
  /** Required for compatible and safe modes. */
  encodingAESKey?: string | undefined;
  ghId: string;
}

/** The HTTP exchange of one delivery, before anyone judges the answer. */
export interface DeliveryExchange {
  /** 1-based delivery number. */
  n: number;
  /** Clock of the sender, ms. */
  startedAt: number;
  endedAt: number;
  /** The query WeChat signed this delivery with (fresh timestamp and nonce each time). */
  query: Record<string, string>;
  /** `response` = an HTTP answer arrived in time; `timeout`/`error` = WeChat delivers again. */
  result: 'response' | 'timeout' | 'error';
  status?: number;
  headers?: IncomingHttpHeaders;
  body?: Buffer;
  error?: string;
}

/** Headers WeChat sends with callbacks (reference §1.3). */
export const WECHAT_CALLBACK_HEADERS: Readonly<Record<string, string>> = {
  'User-Agent': 'Mozilla/4.0',
  Accept: '*/*',
  Pragma: 'no-cache',
  'Content-Type': 'text/xml',
  Connection: 'close',
};

/** A reply larger than this is cut (WeChat would not accept it anyway). */
const MAX_REPLY_BYTES = 1024 * 1024;

/** The crypto for an account, or a TypeError when an encrypted mode has no EncodingAESKey. */
export function cryptoFor(account: CallbackAccount, mode: CallbackMode): WechatCrypto | undefined {
  if (mode === 'plain') return undefined;
  if (!account.encodingAESKey) throw new TypeError(`callback mode "${mode}" needs the account's encodingAESKey`);
  return new WechatCrypto({ token: account.token, encodingAESKey: account.encodingAESKey, appId: account.appId });
}

/** The request body of a callback in each mode (reference §1.4): the same bytes for every delivery. */
export function callbackBody(xml: string, mode: CallbackMode, ghId: string, encrypt: string | undefined): string {
  if (mode === 'plain' || encrypt === undefined) return xml;
  if (mode === 'safe') return `<xml><ToUserName>${cdata(ghId)}</ToUserName><Encrypt>${cdata(encrypt)}</Encrypt></xml>`;
  // Compatible: every plaintext field, plus Encrypt appended last.
  const close = xml.lastIndexOf('</xml>');
  return `${xml.slice(0, close)}<Encrypt>${cdata(encrypt)}</Encrypt></xml>`;
}

/** The signed query of one delivery (reference §1.3), in the order WeChat sends it. */
export function callbackQuery(account: CallbackAccount, mode: CallbackMode, openid: string, timestamp: string, nonce: string, encrypt: string | undefined): Record<string, string> {
  const query: Record<string, string> = { signature: computeSignature(account.token, timestamp, nonce), timestamp, nonce, openid };
  if (mode !== 'plain' && encrypt !== undefined) {
    const crypto = cryptoFor(account, mode);
    query.encrypt_type = 'aes';
    query.msg_signature = crypto?.signature(timestamp, nonce, encrypt) ?? '';
  }
  return query;
}

/** One POST with WeChat's headers; resolves with what happened within `timeoutMs` (the connection is dropped then). */
export function postOnce(url: URL, body: Buffer, timeoutMs: number, signal?: AbortSignal): Promise<Pick<DeliveryExchange, 'result' | 'status' | 'headers' | 'body' | 'error'>> {
  return new Promise((resolve) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    let settled = false;
    const finish = (r: Pick<DeliveryExchange, 'result' | 'status' | 'headers' | 'body' | 'error'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(r);
    };
    const onAbort = (): void => {
      finish({ result: 'error', error: 'aborted' });
      req.destroy();
    };
    const req = send(url, { method: 'POST', agent: false, headers: { ...WECHAT_CALLBACK_HEADERS, 'Content-Length': String(body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= MAX_REPLY_BYTES) chunks.push(c);
      });
      res.on('end', () => finish({ result: 'response', status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', (e) => finish({ result: 'error', error: e.message }));
    });
    const timer = setTimeout(() => {
      finish({ result: 'timeout' });
      req.destroy();
    }, timeoutMs);
    req.on('error', (e) => finish({ result: 'error', error: e.message }));
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    req.end(body);
  });
}

/** Options of {@link deliverCallback}. */
export interface DeliverOptions {
  url: string;
  account: CallbackAccount;
  mode: CallbackMode;
  /** The sender of the message (`openid` query parameter). */
  openid: string;
  /** The plaintext message XML. */
  xml: string;
  timeoutMs: number;
  deliveries: number;
  now: () => number;
  /** Called after each delivery (e.g. to record progress while later deliveries run). */
  onExchange?: (exchange: DeliveryExchange) => void;
  /** Stops delivering (the current request is dropped). */
  signal?: AbortSignal;
}

/**
 * POSTs a callback like WeChat: signed (and encrypted in compatible/safe mode), the identical body on every
 * delivery with a fresh timestamp and nonce, re-delivered only after a timeout or a connection error.
 */
export async function deliverCallback(options: DeliverOptions): Promise<DeliveryExchange[]> {
  const { account, mode } = options;
  const encrypt = cryptoFor(account, mode)?.encrypt(options.xml);
  const body = Buffer.from(callbackBody(options.xml, mode, account.ghId, encrypt), 'utf8');
  const exchanges: DeliveryExchange[] = [];
  for (let n = 1; n <= options.deliveries; n++) {
    const startedAt = options.now();
    const query = callbackQuery(account, mode, options.openid, String(Math.floor(startedAt / 1000)), newNonce(), encrypt);
    const url = new URL(options.url);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const outcome = await postOnce(url, body, options.timeoutMs, options.signal);
    const exchange: DeliveryExchange = { n, startedAt, endedAt: options.now(), query, ...outcome };
    exchanges.push(exchange);
    options.onExchange?.(exchange);
    if (outcome.result === 'response' || options.signal?.aborted) break;
  }
  return exchanges;
}
