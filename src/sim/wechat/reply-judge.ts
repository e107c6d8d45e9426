import { WechatCryptoError, WechatXmlError, decryptReply, parseReply, type ParsedReply, type PassiveReply, type WechatCrypto } from '../../wechat/index.js';
import type { DeliveryExchange } from './callback-sender.js';
import type { MediaKind } from './media-library.js';
import type { CallbackMode } from './types.js';

/** Passive text replies over this many UTF-8 bytes are not shown (reference §3.4). */
export const PASSIVE_TEXT_MAX_BYTES = 2048;

/** What the follower got from one answered delivery. */
export type Verdict =
  | { outcome: 'success' }
  | { outcome: 'reply'; reply: PassiveReply; xml: string }
  | { outcome: 'invalid'; reason: string };

/** What judging a reply needs to know. */
export interface JudgeContext {
  mode: CallbackMode;
  /** Required to open encrypted replies (compatible/safe). */
  crypto: WechatCrypto | undefined;
  openid: string;
  ghId: string;
  /** 1 when answering a text/image/video/link/location message, else 8. */
  maxNewsArticles: number;
  /** Whether a media id exists on the platform (only checked when a simulator is linked). */
  mediaExists?: (mediaId: string, kinds: readonly MediaKind[]) => boolean | Promise<boolean>;
}

const invalid = (reason: string): Verdict => ({ outcome: 'invalid', reason });

/** Why WeChat would refuse a well-formed passive reply, or undefined when it would show it. */
async function refusalOf(reply: PassiveReply, ctx: JudgeContext): Promise<string | undefined> {
  if (reply.toUserName !== ctx.openid) return `ToUserName is ${reply.toUserName}, not the follower ${ctx.openid}`;
  if (reply.fromUserName !== ctx.ghId) return `FromUserName is ${reply.fromUserName}, not the account ${ctx.ghId}`;
  const media = async (id: string, kinds: readonly MediaKind[], what: string): Promise<string | undefined> => {
    if (id === '') return `${what} is empty`;
    if (ctx.mediaExists && !(await ctx.mediaExists(id, kinds))) return `${what} ${id} is not a media id of this account`;
    return undefined;
  };
  switch (reply.kind) {
    case 'text': {
      const bytes = Buffer.byteLength(reply.content, 'utf8');
      if (bytes === 0) return 'text reply with empty Content (answer `success` or an empty body instead)';
      if (bytes > PASSIVE_TEXT_MAX_BYTES) return `text reply of ${bytes} bytes exceeds ${PASSIVE_TEXT_MAX_BYTES} bytes`;
      return undefined;
    }
    case 'image':
      return media(reply.mediaId, ['image'], 'Image/MediaId');
    case 'voice':
      return media(reply.mediaId, ['voice'], 'Voice/MediaId');
    case 'video':
      return media(reply.mediaId, ['video'], 'Video/MediaId');
    case 'music':
      return media(reply.thumbMediaId, ['thumb', 'image'], 'Music/ThumbMediaId');
    case 'news':
      if (reply.articles.length === 0) return 'news reply without articles';
      if (reply.articles.length > ctx.maxNewsArticles) return `news reply with ${reply.articles.length} articles; at most ${ctx.maxNewsArticles} here`;
      return undefined;
    case 'transfer_customer_service':
      return undefined;
  }
}

/**
 * Judges an answered delivery the way WeChat does (reference §3.2, §12): `success`/empty = no reply; valid reply XML
 * (in safe mode: encrypted, MsgSignature-checked, AppID-checked) = a passive reply; anything else = the
 * "该公众号暂时无法提供服务" notice.
 */
export async function judgeAnswer(exchange: DeliveryExchange, ctx: JudgeContext): Promise<Verdict> {
  if (exchange.status !== 200) return invalid(`HTTP ${String(exchange.status)}`);
  let parsed: ParsedReply;
  try {
    parsed = parseReply(exchange.body ?? Buffer.alloc(0));
  } catch (err) {
    return invalid(err instanceof WechatXmlError ? `not a reply: ${err.message}` : 'not a reply');
  }
  if (parsed.kind === 'success' || parsed.kind === 'empty') return { outcome: 'success' };
  let xml = (exchange.body ?? Buffer.alloc(0)).toString('utf8');
  if (parsed.kind === 'encrypted') {
    if (ctx.mode === 'plain' || !ctx.crypto) return invalid('encrypted reply to a plain-mode callback');
    try {
      xml = decryptReply(ctx.crypto, parsed).xml;
      parsed = parseReply(xml);
    } catch (err) {
      const why = err instanceof WechatCryptoError || err instanceof WechatXmlError ? err.message : 'unreadable';
      return invalid(`encrypted reply refused: ${why}`);
    }
    if (parsed.kind === 'encrypted' || parsed.kind === 'success' || parsed.kind === 'empty') return invalid('the encrypted reply does not hold reply XML');
  } else if (ctx.mode === 'safe') {
    return invalid('plaintext reply in safe mode (it must be encrypted)');
  }
  if (parsed.kind === 'unknown') return invalid(`unknown reply MsgType ${parsed.msgType}`);
  const { raw: _raw, ...rest } = parsed;
  const reply = rest as PassiveReply;
  const refusal = await refusalOf(reply, ctx);
  return refusal === undefined ? { outcome: 'reply', reply, xml } : invalid(refusal);
}
