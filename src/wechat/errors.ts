import { MpgateError } from '../errors.js';

/** Why a WechatCrypto operation failed; stable and machine-readable. */
export type WechatCryptoReason =
  /** The Encrypt value is not strict base64. */
  | 'base64'
  /** The ciphertext is empty or not a whole number of AES blocks. */
  | 'block_size'
  /** The PKCS#7 pad byte is not 1..32 or the pad bytes differ (usually: wrong EncodingAESKey). */
  | 'padding'
  /** The 4-byte message length points outside the payload. */
  | 'length'
  /** The payload's trailing receive id is not the configured AppID. */
  | 'appid'
  /** The decrypted message is not valid UTF-8. */
  | 'utf8'
  /** A signature did not match. */
  | 'signature'
  /** The EncodingAESKey (current or previous) is malformed. */
  | 'invalid_key'
  /** Some other constructor option is malformed (token, appId, random source). */
  | 'invalid_config';

/** Safe-mode encryption/decryption failed, or WechatCrypto was configured wrongly. Never carries key material. */
export class WechatCryptoError extends MpgateError {
  readonly reason: WechatCryptoReason;
  constructor(reason: WechatCryptoReason, message: string, options?: { cause?: unknown }) {
    super('WECHAT_CRYPTO_ERROR', message, options);
    this.reason = reason;
  }
}

/** Why a WeChat XML body was refused. */
export type WechatXmlReason =
  /** The body is larger than `maxBytes`. */
  | 'too_large'
  /** The bytes are not valid UTF-8. */
  | 'encoding'
  /** A `<!DOCTYPE` or `<!ENTITY` declaration appears anywhere in the body (XXE / entity bombs). */
  | 'doctype'
  /** The body is not well-formed XML. */
  | 'malformed'
  /** Elements nest deeper than WeChat ever sends. */
  | 'too_deep'
  /** The root element is not `<xml>`. */
  | 'root'
  /** A field every message must carry is absent. */
  | 'missing_field'
  /** A field has a value of the wrong shape (e.g. a non-numeric CreateTime). */
  | 'invalid_field';

/** A WeChat XML body (callback or reply) was refused. `position` is the character offset, when known. */
export class WechatXmlError extends MpgateError {
  readonly reason: WechatXmlReason;
  readonly position: number | undefined;
  constructor(reason: WechatXmlReason, message: string, options?: { position?: number; cause?: unknown }) {
    const at = options?.position === undefined ? '' : ` (at character ${options.position})`;
    super('WECHAT_XML_ERROR', `${message}${at}`, options);
    this.reason = reason;
    this.position = options?.position;
  }
}

/** A passive reply could not be built because WeChat would reject it (e.g. a news reply with 9 articles). */
export class WechatReplyError extends MpgateError {
  constructor(message: string) {
    super('WECHAT_REPLY_ERROR', message);
  }
}
