import { computeMsgSignature, computeSignature, WechatCrypto } from '../../src/wechat/index.js';
import { ACCOUNT, QUESTION, WEBHOOK_PATH } from './fixture.js';

/** One pre-built POST of a safe-mode callback: the path with its signed query, and the XML body. */
export interface SignedRequest {
  path: string;
  body: string;
  /** The follower who sent it; the reply must be addressed to them. */
  openid: string;
}

export interface SignedRequestPoolOptions {
  count: number;
  /** Distinct followers, used round-robin so per-follower ordering does not serialize the load. */
  followers: number;
  /** Unix seconds written as timestamp and CreateTime (default: now). */
  timestamp?: number;
}

/** The OpenID of follower `i`: 28 characters, shaped like WeChat's. */
export function followerOpenid(i: number): string {
  return `oBench${String(i).padStart(22, '0')}`;
}

/**
 * Signs `count` distinct safe-mode text-message callbacks as WeChat sends them: each its own MsgId and nonce (the
 * gateway's dedupe and replay guard would otherwise answer from cache or refuse), the given timestamp, the
 * Encrypt envelope, and the query WeChat adds (signature, timestamp, nonce, openid, encrypt_type, msg_signature).
 */
export function signedRequestPool(options: SignedRequestPoolOptions): SignedRequest[] {
  const crypto = new WechatCrypto({ token: ACCOUNT.token, encodingAESKey: ACCOUNT.encodingAESKey, appId: ACCOUNT.appId });
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const pool: SignedRequest[] = new Array<SignedRequest>(options.count);
  // MsgIds are 64-bit integers; start somewhere realistic and count up.
  const firstMsgId = 24_000_000_000_000_000n;
  for (let i = 0; i < options.count; i++) {
    const openid = followerOpenid(i % options.followers);
    const nonce = String(1_000_000_000 + i);
    const xml =
      `<xml><ToUserName><![CDATA[${ACCOUNT.userName}]]></ToUserName><FromUserName><![CDATA[${openid}]]></FromUserName>` +
      `<CreateTime>${timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${QUESTION}]]></Content>` +
      `<MsgId>${firstMsgId + BigInt(i)}</MsgId></xml>`;
    const encrypt = crypto.encrypt(xml);
    const body = `<xml><ToUserName><![CDATA[${ACCOUNT.userName}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`;
    const signature = computeSignature(ACCOUNT.token, timestamp, nonce);
    const msgSignature = computeMsgSignature(ACCOUNT.token, timestamp, nonce, encrypt);
    pool[i] = {
      path: `${WEBHOOK_PATH}?signature=${signature}&timestamp=${timestamp}&nonce=${nonce}&openid=${openid}&encrypt_type=aes&msg_signature=${msgSignature}`,
      body,
      openid,
    };
  }
  return pool;
}
