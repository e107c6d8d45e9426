import { isUtf8 } from 'node:buffer';
import { decodeCiphertext, openPayload, prepareAesKey, sealPayload, type AesKey } from './aes-payload.js';
import { WechatCryptoError } from './errors.js';
import { computeMsgSignature, computeSignature, signatureMatches } from './signature.js';

/** Which EncodingAESKey worked: 0 = the current one, 1 = the previous one (kept during a key change). */
export type WechatKeyIndex = 0 | 1;

export interface WechatCryptoOptions {
  /** The server-configuration Token. */
  token: string;
  /** The current 43-character EncodingAESKey. */
  encodingAESKey: string;
  /** The account's AppID; decrypted payloads must end with it. */
  appId: string;
  /** The EncodingAESKey used before the last change, tried when the current one fails. Empty = none. */
  previousEncodingAESKey?: string | undefined;
  /** Source of the 16 random prefix bytes (injectable for golden tests); defaults to node:crypto. */
  random?: ((n: number) => Buffer) | undefined;
}

/** A decrypted message and the key that opened it (encrypt the reply with the same key). */
export interface DecryptedMessage {
  xml: string;
  keyIndex: WechatKeyIndex;
}

export interface EncryptOptions {
  /** Encrypt with the current (0, default) or the previous (1) EncodingAESKey. */
  keyIndex?: WechatKeyIndex | undefined;
}

/** WeChat safe-mode message crypto (WXBizMsgCrypt scheme): AES-256-CBC payloads and SHA-1 signatures. */
export class WechatCrypto {
  /** The AppID payloads are sealed for and must carry. */
  readonly appId: string;
  readonly #token: string;
  readonly #keys: readonly AesKey[];
  readonly #appIdBytes: Buffer;
  readonly #random: ((n: number) => Buffer) | undefined;

  constructor(options: WechatCryptoOptions) {
    const { token, appId, previousEncodingAESKey, random } = options;
    if (typeof token !== 'string' || token.length === 0) {
      throw new WechatCryptoError(
        'invalid_config',
        'token must be a non-empty string (the Token of the server configuration)',
      );
    }
    if (typeof appId !== 'string' || appId.length === 0) {
      throw new WechatCryptoError('invalid_config', 'appId must be a non-empty string (e.g. wx1234567890abcdef)');
    }
    if (random !== undefined && typeof random !== 'function') {
      throw new WechatCryptoError('invalid_config', 'random must be a function (n) => Buffer');
    }
    const keys = [prepareAesKey(options.encodingAESKey, 'encodingAESKey')];
    if (previousEncodingAESKey !== undefined && previousEncodingAESKey !== '') {
      const previous = prepareAesKey(previousEncodingAESKey, 'previousEncodingAESKey');
      if (previousEncodingAESKey !== options.encodingAESKey) keys.push(previous);
    }
    this.appId = appId;
    this.#token = token;
    this.#keys = keys;
    this.#appIdBytes = Buffer.from(appId, 'utf8');
    this.#random = random;
  }

  /** True when a previous EncodingAESKey is configured (and differs from the current one). */
  get hasPreviousKey(): boolean {
    return this.#keys.length > 1;
  }

  /** Encrypts a message (usually reply XML) into the base64 `Encrypt` value. */
  encrypt(xml: string, options?: EncryptOptions): string {
    const keyIndex = options?.keyIndex ?? 0;
    const key = this.#keys[keyIndex];
    if (key === undefined) {
      throw new WechatCryptoError('invalid_config', `no EncodingAESKey with index ${keyIndex} is configured`);
    }
    return sealPayload(key, xml, this.#appIdBytes, this.#random?.(16));
  }

  /**
   * Decrypts an `Encrypt` value into the message XML; throws WechatCryptoError on any failure.
   * Check msg_signature (verifySignature) first: the scheme has no MAC, the signature is what authenticates.
   */
  decrypt(encrypt: string): string {
    return this.decryptDetailed(encrypt).xml;
  }

  /** Like decrypt, and tells which key worked: the current one, else the previous one. */
  decryptDetailed(encrypt: string): DecryptedMessage {
    if (typeof encrypt !== 'string') {
      throw new WechatCryptoError('base64', 'the Encrypt value must be a string');
    }
    const ciphertext = decodeCiphertext(encrypt);
    try {
      return { xml: this.#open(0, ciphertext), keyIndex: 0 };
    } catch (current) {
      if (this.#keys.length < 2 || !(current instanceof WechatCryptoError)) throw current;
      try {
        return { xml: this.#open(1, ciphertext), keyIndex: 1 };
      } catch (previous) {
        throw new WechatCryptoError(
          current.reason,
          `${current.message} (the previous EncodingAESKey failed too)`,
          { cause: previous },
        );
      }
    }
  }

  /** The signature over [token, timestamp, nonce] (plus `encrypt` → msg_signature / MsgSignature). */
  signature(timestamp: string, nonce: string, encrypt?: string): string {
    return encrypt === undefined
      ? computeSignature(this.#token, timestamp, nonce)
      : computeMsgSignature(this.#token, timestamp, nonce, encrypt);
  }

  /** Constant-time check of a received signature (pass `encrypt` to check a msg_signature). */
  verifySignature(received: string | undefined | null, timestamp: string, nonce: string, encrypt?: string): boolean {
    return signatureMatches(received, this.signature(timestamp, nonce, encrypt));
  }

  #open(keyIndex: number, ciphertext: Buffer): string {
    const key = this.#keys[keyIndex];
    if (key === undefined) throw new WechatCryptoError('invalid_config', `no EncodingAESKey with index ${keyIndex}`);
    const payload = openPayload(key, ciphertext);
    if (!payload.receiveId.equals(this.#appIdBytes)) {
      throw new WechatCryptoError(
        'appid',
        `the message is addressed to ${describeReceiveId(payload.receiveId)}, not the configured AppID ${this.appId}`,
      );
    }
    if (!isUtf8(payload.message)) {
      throw new WechatCryptoError('utf8', 'the decrypted message is not valid UTF-8');
    }
    return payload.message.toString('utf8');
  }
}

/** Shows a receive id only when it looks like one; a wrong key yields random bytes not worth printing. */
function describeReceiveId(receiveId: Buffer): string {
  const text = receiveId.toString('latin1');
  return receiveId.length > 0 && receiveId.length <= 64 && /^[\x21-\x7e]+$/.test(text)
    ? `"${text}"`
    : `${receiveId.length} unreadable bytes`;
}
