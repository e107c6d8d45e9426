import { createCipheriv, createDecipheriv, createSecretKey, randomFillSync, type KeyObject } from 'node:crypto';
import { WechatCryptoError } from './errors.js';

/** WeChat pads to 32-byte blocks (not AES's 16), so a pad byte is 1..32. */
const PAD_BLOCK = 32;
const RANDOM_BYTES = 16;
const HEADER_BYTES = RANDOM_BYTES + 4;
const ENCODING_AES_KEY = /^[A-Za-z0-9]{43}$/;

/** An EncodingAESKey decoded once into what AES-256-CBC needs; the IV is the key's first 16 bytes. */
export interface AesKey {
  /** Imported once; a cipher set up from a KeyObject skips re-validating raw key bytes on every message. */
  readonly key: KeyObject;
  readonly iv: Buffer;
}

/** The parts of a decrypted payload, as views into one buffer (no copies). */
export interface OpenedPayload {
  readonly random: Buffer;
  readonly message: Buffer;
  readonly receiveId: Buffer;
  readonly padLength: number;
}

/** Validates and decodes an EncodingAESKey; `label` names the option in errors (the key itself never appears). */
export function prepareAesKey(encodingAESKey: unknown, label: string): AesKey {
  if (typeof encodingAESKey !== 'string') {
    throw new WechatCryptoError('invalid_key', `${label} must be a string of 43 characters [A-Za-z0-9]`);
  }
  if (!ENCODING_AES_KEY.test(encodingAESKey)) {
    const why =
      encodingAESKey.length === 43
        ? 'contains a character outside [A-Za-z0-9]'
        : `has ${encodingAESKey.length} characters`;
    throw new WechatCryptoError(
      'invalid_key',
      `${label} must be exactly 43 characters of [A-Za-z0-9] (as shown in the WeChat admin console); it ${why}`,
    );
  }
  const raw = Buffer.from(`${encodingAESKey}=`, 'base64');
  if (raw.length !== 32) {
    throw new WechatCryptoError('invalid_key', `${label} does not decode to 32 bytes`);
  }
  return { key: createSecretKey(raw), iv: Buffer.from(raw.subarray(0, 16)) };
}

const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let poolOffset = 0;

/** Copies 16 fresh CSPRNG bytes into `target`; one randomFillSync per 256 messages instead of one per message. */
function fillRandom16(target: Buffer): void {
  if (poolOffset + RANDOM_BYTES > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_BYTES));
    poolOffset = 0;
  }
  pool.copy(target, 0, poolOffset, poolOffset + RANDOM_BYTES);
  poolOffset += RANDOM_BYTES;
}

/**
 * Encrypts `random16 ‖ uint32be(len(message)) ‖ message ‖ receiveId`, PKCS#7-padded to 32 bytes, and returns base64.
 * The plaintext is assembled in a single buffer; `random16` defaults to fresh CSPRNG bytes.
 */
export function sealPayload(aes: AesKey, message: string, receiveId: Buffer, random16?: Buffer): string {
  const messageLength = Buffer.byteLength(message, 'utf8');
  const unpadded = HEADER_BYTES + messageLength + receiveId.length;
  const pad = PAD_BLOCK - (unpadded % PAD_BLOCK);
  const plain = Buffer.allocUnsafe(unpadded + pad);
  if (random16 === undefined) {
    fillRandom16(plain);
  } else {
    if (random16.length !== RANDOM_BYTES) {
      throw new WechatCryptoError('invalid_config', `the random source returned ${random16.length} bytes, expected 16`);
    }
    random16.copy(plain, 0);
  }
  plain.writeUInt32BE(messageLength, RANDOM_BYTES);
  plain.write(message, HEADER_BYTES, messageLength, 'utf8');
  receiveId.copy(plain, HEADER_BYTES + messageLength);
  plain.fill(pad, unpadded);
  const cipher = createCipheriv('aes-256-cbc', aes.key, aes.iv);
  cipher.setAutoPadding(false);
  const head = cipher.update(plain);
  const tail = cipher.final();
  return (tail.length === 0 ? head : Buffer.concat([head, tail])).toString('base64');
}

/**
 * Strict base64 decode of an Encrypt value; checks that do not depend on the key.
 * Node's decoder skips junk and accepts the URL-safe alphabet, so the bytes are re-encoded and must give back the
 * input exactly (canonical padded base64, as every WeChat SDK emits) — cheaper than a regex over the string.
 */
export function decodeCiphertext(encrypt: string): Buffer {
  const ciphertext = Buffer.from(encrypt, 'base64');
  if (ciphertext.toString('base64') !== encrypt) {
    throw new WechatCryptoError('base64', `the Encrypt value is not valid base64 (${encrypt.length} characters)`);
  }
  if (ciphertext.length === 0 || ciphertext.length % 16 !== 0) {
    throw new WechatCryptoError(
      'block_size',
      `the ciphertext is ${ciphertext.length} bytes, not a positive multiple of the 16-byte AES block`,
    );
  }
  return ciphertext;
}

/**
 * Decrypts a ciphertext and splits the payload, checking the padding and the length field.
 * Not constant-time: callers must verify msg_signature first, so tampered ciphertexts never get here.
 */
export function openPayload(aes: AesKey, ciphertext: Buffer): OpenedPayload {
  const decipher = createDecipheriv('aes-256-cbc', aes.key, aes.iv);
  decipher.setAutoPadding(false);
  const head = decipher.update(ciphertext);
  const tail = decipher.final();
  const plain = tail.length === 0 ? head : Buffer.concat([head, tail]);

  const pad = plain[plain.length - 1] ?? 0;
  if (pad < 1 || pad > PAD_BLOCK || pad > plain.length) {
    throw new WechatCryptoError('padding', `invalid pad byte ${pad} (must be 1..32); is the EncodingAESKey right?`);
  }
  const end = plain.length - pad;
  for (let i = end; i < plain.length - 1; i++) {
    if (plain[i] !== pad) {
      throw new WechatCryptoError('padding', `inconsistent PKCS#7 padding; is the EncodingAESKey right?`);
    }
  }
  if (end < HEADER_BYTES) {
    throw new WechatCryptoError('length', `the decrypted payload is ${end} bytes, shorter than its 20-byte header`);
  }
  const messageLength = plain.readUInt32BE(RANDOM_BYTES);
  if (messageLength > end - HEADER_BYTES) {
    throw new WechatCryptoError(
      'length',
      `the length field says ${messageLength} bytes but only ${end - HEADER_BYTES} follow it`,
    );
  }
  const messageEnd = HEADER_BYTES + messageLength;
  return {
    random: plain.subarray(0, RANDOM_BYTES),
    message: plain.subarray(HEADER_BYTES, messageEnd),
    receiveId: plain.subarray(messageEnd, end),
    padLength: pad,
  };
}
