import { cdata } from './cdata.js';
import type { EncryptOptions, WechatCrypto } from './crypto.js';
import { WechatReplyError } from './errors.js';

/** The literal body that ends WeChat's retries without showing the follower anything. */
export const SUCCESS_REPLY = 'success';
/** WeChat shows nothing for a text reply longer than this many UTF-8 bytes; split before building. */
export const TEXT_REPLY_MAX_BYTES = 2048;
/** News replies carry at most 8 articles (only 1 when answering a follower's message). */
export const NEWS_REPLY_MAX_ARTICLES = 8;

/** Who a passive reply goes to and when: ToUserName is the follower's OpenID, FromUserName the account's gh id. */
export interface ReplyAddress {
  toUserName: string;
  fromUserName: string;
  /** Unix seconds. */
  createTime: number;
}

export interface TextReply extends ReplyAddress {
  kind: 'text';
  content: string;
}

export interface ImageReply extends ReplyAddress {
  kind: 'image';
  mediaId: string;
}

export interface VoiceReply extends ReplyAddress {
  kind: 'voice';
  mediaId: string;
}

export interface VideoReply extends ReplyAddress {
  kind: 'video';
  mediaId: string;
  title?: string | undefined;
  description?: string | undefined;
}

export interface MusicReply extends ReplyAddress {
  kind: 'music';
  title?: string | undefined;
  description?: string | undefined;
  musicUrl?: string | undefined;
  hqMusicUrl?: string | undefined;
  thumbMediaId: string;
}

export interface NewsArticle {
  title: string;
  description?: string | undefined;
  /** JPG/PNG; best 360×200 for the first article, 200×200 for the others. */
  picUrl?: string | undefined;
  url?: string | undefined;
}

export interface NewsReply extends ReplyAddress {
  kind: 'news';
  articles: NewsArticle[];
}

/** Hands the conversation to the 多客服 system (optionally to one agent). */
export interface TransferCustomerServiceReply extends ReplyAddress {
  kind: 'transfer_customer_service';
  kfAccount?: string | undefined;
}

/** Every passive reply WeChat accepts, discriminated by `kind` (= the MsgType sent). */
export type PassiveReply =
  | TextReply
  | ImageReply
  | VoiceReply
  | VideoReply
  | MusicReply
  | NewsReply
  | TransferCustomerServiceReply;

/** The address of a reply to a callback: back to its sender, from the account it was sent to. */
export function replyAddress(
  message: { toUserName: string; fromUserName: string },
  createTime: number,
): ReplyAddress {
  return { toUserName: message.fromUserName, fromUserName: message.toUserName, createTime };
}

/** Builds the XML of any passive reply. */
export function buildReply(reply: PassiveReply): string {
  switch (reply.kind) {
    case 'text':
      return buildTextReply(reply, reply.content);
    case 'image':
      return buildImageReply(reply, reply.mediaId);
    case 'voice':
      return buildVoiceReply(reply, reply.mediaId);
    case 'video':
      return buildVideoReply(reply, reply);
    case 'music':
      return buildMusicReply(reply, reply);
    case 'news':
      return buildNewsReply(reply, reply.articles);
    case 'transfer_customer_service':
      return buildTransferCustomerServiceReply(reply, reply.kfAccount);
  }
}

/** A text reply. Keep `content` within TEXT_REPLY_MAX_BYTES (WeChat drops longer ones silently). */
export function buildTextReply(address: ReplyAddress, content: string): string {
  return envelope(address, 'text', `<Content>${cdata(content)}</Content>`);
}

/** An image reply (temporary or permanent media id). */
export function buildImageReply(address: ReplyAddress, mediaId: string): string {
  return envelope(address, 'image', `<Image><MediaId>${cdata(mediaId)}</MediaId></Image>`);
}

/** A voice reply. */
export function buildVoiceReply(address: ReplyAddress, mediaId: string): string {
  return envelope(address, 'voice', `<Voice><MediaId>${cdata(mediaId)}</MediaId></Voice>`);
}

/** A video reply; title and description are optional. */
export function buildVideoReply(
  address: ReplyAddress,
  video: { mediaId: string; title?: string | undefined; description?: string | undefined },
): string {
  return envelope(
    address,
    'video',
    `<Video><MediaId>${cdata(video.mediaId)}</MediaId>${optional('Title', video.title)}` +
      `${optional('Description', video.description)}</Video>`,
  );
}

/** A music reply; only the thumbnail media id is required. */
export function buildMusicReply(address: ReplyAddress, music: Omit<MusicReply, 'kind' | keyof ReplyAddress>): string {
  return envelope(
    address,
    'music',
    `<Music>${optional('Title', music.title)}${optional('Description', music.description)}` +
      `${optional('MusicUrl', music.musicUrl)}${optional('HQMusicUrl', music.hqMusicUrl)}` +
      `<ThumbMediaId>${cdata(music.thumbMediaId)}</ThumbMediaId></Music>`,
  );
}

/** A news (图文) reply with 1..8 articles. */
export function buildNewsReply(address: ReplyAddress, articles: readonly NewsArticle[]): string {
  return envelope(address, 'news', newsBody(articles));
}

/** Hands the conversation to 多客服 (optionally a given agent account). */
export function buildTransferCustomerServiceReply(address: ReplyAddress, kfAccount?: string): string {
  return envelope(
    address,
    'transfer_customer_service',
    kfAccount === undefined ? '' : `<TransInfo><KfAccount>${cdata(kfAccount)}</KfAccount></TransInfo>`,
  );
}

/** The literal `success`: WeChat stops retrying and shows nothing (the answer can follow by 客服 message). */
export function buildSuccessReply(): string {
  return SUCCESS_REPLY;
}

/**
 * Encrypts reply XML for safe/compatible mode and wraps it in the signed envelope WeChat verifies.
 * Pass the `keyIndex` the request was decrypted with so a reply during a key change uses the same key.
 */
export function buildEncryptedReply(
  crypto: WechatCrypto,
  xml: string,
  timestamp: string | number,
  nonce: string,
  options?: EncryptOptions,
): string {
  const timeStamp = String(timestamp);
  if (!/^\d{1,15}$/.test(timeStamp)) {
    const got = JSON.stringify(timeStamp.slice(0, 32));
    throw new WechatReplyError(`the reply TimeStamp must be unix seconds, got ${got}`);
  }
  const encrypt = crypto.encrypt(xml, options);
  const signature = crypto.signature(timeStamp, nonce, encrypt);
  return (
    `<xml><Encrypt>${cdata(encrypt)}</Encrypt><MsgSignature>${cdata(signature)}</MsgSignature>` +
    `<TimeStamp>${timeStamp}</TimeStamp><Nonce>${cdata(nonce)}</Nonce></xml>`
  );
}

function envelope(address: ReplyAddress, msgType: string, body: string): string {
  if (!Number.isSafeInteger(address.createTime) || address.createTime < 0) {
    throw new WechatReplyError(`the reply CreateTime must be unix seconds, got ${address.createTime}`);
  }
  return (
    `<xml><ToUserName>${cdata(address.toUserName)}</ToUserName>` +
    `<FromUserName>${cdata(address.fromUserName)}</FromUserName>` +
    `<CreateTime>${address.createTime}</CreateTime><MsgType>${cdata(msgType)}</MsgType>${body}</xml>`
  );
}

function optional(tag: string, value: string | undefined): string {
  return value === undefined ? '' : `<${tag}>${cdata(value)}</${tag}>`;
}

function newsBody(articles: readonly NewsArticle[]): string {
  if (articles.length < 1 || articles.length > NEWS_REPLY_MAX_ARTICLES) {
    throw new WechatReplyError(
      `a news reply needs 1 to ${NEWS_REPLY_MAX_ARTICLES} articles, got ${articles.length} (WeChat ignores more)`,
    );
  }
  let items = '';
  for (const a of articles) {
    items +=
      `<item><Title>${cdata(a.title)}</Title><Description>${cdata(a.description ?? '')}</Description>` +
      `<PicUrl>${cdata(a.picUrl ?? '')}</PicUrl><Url>${cdata(a.url ?? '')}</Url></item>`;
  }
  return `<ArticleCount>${articles.length}</ArticleCount><Articles>${items}</Articles>`;
}
