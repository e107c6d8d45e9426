/** WeChat protocol core: signatures, safe-mode crypto, callback XML parsing and passive replies. Pure, no I/O. */
export { WechatCryptoError, WechatXmlError, WechatReplyError } from './errors.js';
export type { WechatCryptoReason, WechatXmlReason } from './errors.js';
export { sha1Signature, computeSignature, computeMsgSignature, signatureMatches } from './signature.js';
export { WechatCrypto } from './crypto.js';
export type { WechatCryptoOptions, WechatKeyIndex, DecryptedMessage, EncryptOptions } from './crypto.js';
export { parseMessage, parseEnvelope, messageFromFields } from './parse-message.js';
export type { CallbackMode, CallbackEnvelope } from './parse-message.js';
export type * from './inbound-message.js';
export { DEFAULT_MAX_XML_BYTES, decodeXmlBody, readXmlDocument } from './xml-body.js';
export type { XmlBody, XmlBodyOptions } from './xml-body.js';
export { parseXmlTree } from './xml-tree.js';
export type { XmlFields, XmlValue, XmlTree } from './xml-tree.js';
export { cdata } from './cdata.js';
export {
  SUCCESS_REPLY,
  TEXT_REPLY_MAX_BYTES,
  NEWS_REPLY_MAX_ARTICLES,
  replyAddress,
  buildReply,
  buildTextReply,
  buildImageReply,
  buildVoiceReply,
  buildVideoReply,
  buildMusicReply,
  buildNewsReply,
  buildTransferCustomerServiceReply,
  buildSuccessReply,
  buildEncryptedReply,
} from './reply.js';
export type {
  ReplyAddress,
  PassiveReply,
  TextReply,
  ImageReply,
  VoiceReply,
  VideoReply,
  MusicReply,
  NewsReply,
  NewsArticle,
  TransferCustomerServiceReply,
} from './reply.js';
export { parseReply, decryptReply } from './parse-reply.js';
export type { ParsedReply, EncryptedReplyEnvelope, UnknownReply } from './parse-reply.js';
