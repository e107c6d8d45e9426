import type { DecryptedMessage, WechatCrypto } from './crypto.js';
import { WechatCryptoError } from './errors.js';
import type { PassiveReply, ReplyAddress } from './reply.js';
import { decodeXmlBody, readXmlDocument, type XmlBody, type XmlBodyOptions } from './xml-body.js';
import { childOf, recordsOf, requiredText, requiredUnsigned, stringOf, textOf } from './xml-fields.js';
import type { XmlFields } from './xml-tree.js';

/** The signed envelope of an encrypted passive reply. */
export interface EncryptedReplyEnvelope {
  kind: 'encrypted';
  encrypt: string;
  msgSignature: string;
  timeStamp: string;
  nonce: string;
}

/** A reply XML with a MsgType this version does not know. */
export interface UnknownReply extends ReplyAddress {
  kind: 'unknown';
  msgType: string;
  raw: XmlFields;
}

/** What a server answered to a callback, as a follower would experience it. */
export type ParsedReply =
  | (PassiveReply & { raw: XmlFields })
  | UnknownReply
  | EncryptedReplyEnvelope
  /** `success`: no reply, no retry. */
  | { kind: 'success' }
  /** An empty body: same meaning as `success`. */
  | { kind: 'empty' };

/**
 * Parses a passive-reply body (for tests and the WeChat simulator): `success`, empty, plain reply XML,
 * or the encrypted envelope (open it with decryptReply, then parse the result again).
 * Throws WechatXmlError when the body is none of these — WeChat would show "该公众号暂时无法提供服务".
 */
export function parseReply(body: XmlBody, options?: XmlBodyOptions): ParsedReply {
  const text = decodeXmlBody(body, options);
  if (text === '') return { kind: 'empty' };
  if (text === 'success') return { kind: 'success' };
  const fields = readXmlDocument(text, options);
  if (Object.hasOwn(fields, 'Encrypt') && !Object.hasOwn(fields, 'MsgType')) return envelopeOf(fields);

  const address: ReplyAddress = {
    toUserName: requiredText(fields, 'ToUserName'),
    fromUserName: requiredText(fields, 'FromUserName'),
    createTime: requiredUnsigned(fields, 'CreateTime'),
  };
  const msgType = requiredText(fields, 'MsgType');
  switch (msgType) {
    case 'text':
      return { ...address, kind: 'text', content: stringOf(fields, 'Content'), raw: fields };
    case 'image':
    case 'voice': {
      const media = childOf(fields, msgType === 'image' ? 'Image' : 'Voice');
      return { ...address, kind: msgType, mediaId: stringOf(media, 'MediaId'), raw: fields };
    }
    case 'video': {
      const video = childOf(fields, 'Video');
      return {
        ...address,
        kind: 'video',
        mediaId: stringOf(video, 'MediaId'),
        title: textOf(video, 'Title'),
        description: textOf(video, 'Description'),
        raw: fields,
      };
    }
    case 'music': {
      const music = childOf(fields, 'Music');
      return {
        ...address,
        kind: 'music',
        title: textOf(music, 'Title'),
        description: textOf(music, 'Description'),
        musicUrl: textOf(music, 'MusicUrl'),
        hqMusicUrl: textOf(music, 'HQMusicUrl'),
        thumbMediaId: stringOf(music, 'ThumbMediaId'),
        raw: fields,
      };
    }
    case 'news':
      return {
        ...address,
        kind: 'news',
        articles: recordsOf(childOf(fields, 'Articles'), 'item').map((item) => ({
          title: stringOf(item, 'Title'),
          description: textOf(item, 'Description'),
          picUrl: textOf(item, 'PicUrl'),
          url: textOf(item, 'Url'),
        })),
        raw: fields,
      };
    case 'transfer_customer_service':
      return {
        ...address,
        kind: 'transfer_customer_service',
        kfAccount: textOf(childOf(fields, 'TransInfo'), 'KfAccount'),
        raw: fields,
      };
    default:
      return { ...address, kind: 'unknown', msgType, raw: fields };
  }
}

/**
 * Opens an encrypted reply as WeChat does: checks MsgSignature (constant-time), then decrypts
 * (AppID checked). Throws WechatCryptoError with reason `signature` on a bad signature.
 */
export function decryptReply(
  crypto: WechatCrypto,
  envelope: EncryptedReplyEnvelope,
): DecryptedMessage {
  if (!crypto.verifySignature(envelope.msgSignature, envelope.timeStamp, envelope.nonce, envelope.encrypt)) {
    throw new WechatCryptoError('signature', 'the reply MsgSignature does not match its Encrypt, TimeStamp and Nonce');
  }
  return crypto.decryptDetailed(envelope.encrypt);
}

function envelopeOf(fields: XmlFields): EncryptedReplyEnvelope {
  return {
    kind: 'encrypted',
    encrypt: requiredText(fields, 'Encrypt'),
    msgSignature: requiredText(fields, 'MsgSignature').trim(),
    timeStamp: requiredText(fields, 'TimeStamp').trim(),
    nonce: requiredText(fields, 'Nonce'),
  };
}
