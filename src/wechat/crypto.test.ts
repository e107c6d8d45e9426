import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv } from 'node:crypto';
import { WechatCrypto } from './crypto.js';
import { decodeCiphertext, openPayload, prepareAesKey } from './aes-payload.js';
import { WechatCryptoError, type WechatCryptoReason } from './errors.js';
import { CRYPTO_VECTORS, OFFICIAL_GUIDE as G } from './test-support/vectors.js';

const KEY_A = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const KEY_B = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
const APPID = 'wx2c2769f8efd9abc2';

function fixedRandom(ascii: string): (n: number) => Buffer {
  return (n) => {
    assert.equal(n, 16);
    return Buffer.from(ascii, 'latin1');
  };
}

function assertCryptoError(fn: () => unknown, reason: WechatCryptoReason | WechatCryptoReason[]): WechatCryptoError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof WechatCryptoError, `expected WechatCryptoError, got ${String(caught)}`);
  assert.equal(caught.code, 'WECHAT_CRYPTO_ERROR');
  const reasons = Array.isArray(reason) ? reason : [reason];
  assert.ok(reasons.includes(caught.reason), `reason ${caught.reason} not in ${reasons.join(',')}: ${caught.message}`);
  return caught;
}

/** Encrypts raw bytes with the WeChat key/IV and no padding, to craft payloads a correct sender never makes. */
function rawCiphertext(encodingAESKey: string, plain: Buffer): string {
  const key = Buffer.from(`${encodingAESKey}=`, 'base64');
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

/** random16 ‖ len ‖ message ‖ appid, then the given padding bytes (length must make a multiple of 16). */
function payload(message: Buffer, appId: string, pad: number[], lengthField = message.length): Buffer {
  const head = Buffer.alloc(20, 0x61);
  head.writeUInt32BE(lengthField, 16);
  return Buffer.concat([head, message, Buffer.from(appId), Buffer.from(pad)]);
}

for (const v of CRYPTO_VECTORS) {
  test(`vector ${v.name}: signature, decrypt, payload parts and byte-exact re-encrypt`, () => {
    const crypto = new WechatCrypto({
      token: v.token,
      encodingAESKey: v.encoding_aes_key,
      appId: v.appid,
      random: fixedRandom(v.random16),
    });
    assert.equal(crypto.signature(v.timestamp, v.nonce, v.encrypt), v.msg_signature);
    assert.equal(crypto.verifySignature(v.msg_signature, v.timestamp, v.nonce, v.encrypt), true);
    if (v.signature !== null) {
      assert.equal(crypto.signature(v.timestamp, v.nonce), v.signature);
      assert.equal(crypto.verifySignature(v.signature, v.timestamp, v.nonce), true);
    }
    assert.deepEqual(crypto.decryptDetailed(v.encrypt), { xml: v.plaintext, keyIndex: 0 });

    const opened = openPayload(prepareAesKey(v.encoding_aes_key, 'key'), decodeCiphertext(v.encrypt));
    assert.equal(opened.receiveId.toString(), v.receive_id);
    assert.equal(opened.padLength, v.pkcs7_pad_bytes);
    assert.equal(opened.random.toString('latin1'), v.random16);
    assert.equal(opened.message.toString(), v.plaintext);

    assert.equal(crypto.encrypt(v.plaintext), v.encrypt);
  });

  for (const negative of v.negative_cases) {
    test(`vector ${v.name}: negative case ${JSON.stringify(negative.change)} → ${negative.expect}`, () => {
      const crypto = new WechatCrypto({ token: v.token, encodingAESKey: v.encoding_aes_key, appId: v.appid });
      const input = { timestamp: v.timestamp, nonce: v.nonce, encrypt: v.encrypt, msg_signature: v.msg_signature };
      Object.assign(input, negative.change);
      assert.equal(crypto.verifySignature(input.msg_signature, input.timestamp, input.nonce, input.encrypt), false);
    });
  }
}

test('official guide: decrypt the JSON push (pad 19, random prefix, length 167) and re-encrypt it exactly', () => {
  const s = G.postSafe;
  const crypto = new WechatCrypto({ token: G.token, encodingAESKey: G.encodingAESKey, appId: G.appId, random: fixedRandom(s.random16) });
  assert.equal(crypto.verifySignature(s.msgSignature, s.timestamp, s.nonce, s.encrypt), true);
  assert.equal(crypto.verifySignature(s.signature, s.timestamp, s.nonce), true);
  assert.equal(crypto.decrypt(s.encrypt), s.message);
  const ciphertext = decodeCiphertext(s.encrypt);
  assert.equal(ciphertext.length, 224);
  const opened = openPayload(prepareAesKey(G.encodingAESKey, 'key'), ciphertext);
  assert.equal(opened.padLength, s.padLength);
  assert.equal(opened.message.length, s.messageLength);
  assert.equal(opened.random.toString('latin1'), s.random16);
  assert.equal(crypto.encrypt(s.message), s.encrypt);
});

test('official guide: encrypt the reply with the known random and sign it', () => {
  const r = G.reply;
  const crypto = new WechatCrypto({ token: G.token, encodingAESKey: G.encodingAESKey, appId: G.appId, random: fixedRandom(r.random16) });
  const encrypt = crypto.encrypt(r.message);
  assert.equal(encrypt, r.encrypt);
  assert.equal(crypto.signature(r.timestamp, r.nonce, encrypt), r.msgSignature);
  assert.equal(crypto.decrypt(encrypt), r.message);
});

test('a payload for another AppID is rejected, naming both AppIDs', () => {
  const v = CRYPTO_VECTORS[0]!;
  const crypto = new WechatCrypto({ token: v.token, encodingAESKey: v.encoding_aes_key, appId: 'wx0000000000000000' });
  const error = assertCryptoError(() => crypto.decrypt(v.encrypt), 'appid');
  assert.match(error.message, /"wx2c2769f8efd9abc2".*wx0000000000000000/);
});

test('a tampered ciphertext fails the signature and does not decrypt', () => {
  const v = CRYPTO_VECTORS[0]!;
  const crypto = new WechatCrypto({ token: v.token, encodingAESKey: v.encoding_aes_key, appId: v.appid });
  const bytes = Buffer.from(v.encrypt, 'base64');
  for (const at of [0, 40, bytes.length - 1]) {
    const tampered = Buffer.from(bytes);
    tampered[at] = (tampered[at] ?? 0) ^ 0x01;
    const encrypt = tampered.toString('base64');
    assert.equal(crypto.verifySignature(v.msg_signature, v.timestamp, v.nonce, encrypt), false);
    assertCryptoError(() => crypto.decrypt(encrypt), ['padding', 'length', 'appid', 'utf8']);
  }
});

test('pad byte 0, pad byte > 32 and inconsistent pad bytes are rejected', () => {
  const crypto = new WechatCrypto({ token: 't', encodingAESKey: KEY_A, appId: APPID });
  const message = Buffer.from('<xml/>'); // 20 + 6 + 18 = 44 bytes before padding
  const zero = rawCiphertext(KEY_A, payload(message, APPID, [...Array<number>(19).fill(1), 0]));
  assertCryptoError(() => crypto.decrypt(zero), 'padding');
  const big = rawCiphertext(KEY_A, payload(message, APPID, Array<number>(20).fill(33)));
  assertCryptoError(() => crypto.decrypt(big), 'padding');
  const mixed = rawCiphertext(KEY_A, payload(message, APPID, [...Array<number>(19).fill(7), 20]));
  assertCryptoError(() => crypto.decrypt(mixed), 'padding');
  // Same layout, correct padding: the crafted payload itself is fine.
  assert.equal(crypto.decrypt(rawCiphertext(KEY_A, payload(message, APPID, Array<number>(20).fill(20)))), '<xml/>');
});

test('a length field pointing past the payload, and a payload shorter than its header, are rejected', () => {
  const crypto = new WechatCrypto({ token: 't', encodingAESKey: KEY_A, appId: APPID });
  const message = Buffer.from('<xml/>');
  const tooLong = rawCiphertext(KEY_A, payload(message, APPID, Array<number>(20).fill(20), 0xffffffff));
  assertCryptoError(() => crypto.decrypt(tooLong), 'length');
  const justOver = rawCiphertext(KEY_A, payload(message, APPID, Array<number>(20).fill(20), 6 + APPID.length + 1));
  assertCryptoError(() => crypto.decrypt(justOver), 'length');
  const short = rawCiphertext(KEY_A, Buffer.from([...Array<number>(16).fill(0x61), ...Array<number>(16).fill(16)]));
  assertCryptoError(() => crypto.decrypt(short), 'length');
});

test('a message that is not UTF-8 is rejected', () => {
  const crypto = new WechatCrypto({ token: 't', encodingAESKey: KEY_A, appId: APPID });
  const bad = rawCiphertext(KEY_A, payload(Buffer.from([0x3c, 0xff, 0xfe, 0x3e, 0x20, 0x20]), APPID, Array<number>(20).fill(20)));
  assertCryptoError(() => crypto.decrypt(bad), 'utf8');
});

test('non-base64 and non-block-sized Encrypt values are rejected before any decryption', () => {
  const crypto = new WechatCrypto({ token: 't', encodingAESKey: KEY_A, appId: APPID });
  const good = crypto.encrypt('<xml/>');
  assertCryptoError(() => crypto.decrypt(good.slice(1)), 'base64');
  assertCryptoError(() => crypto.decrypt(`${good.slice(0, -4)}-_-_`), 'base64'); // url-safe alphabet is not WeChat's
  assertCryptoError(() => crypto.decrypt(`${good.slice(0, 8)} ${good.slice(9)}`), 'base64');
  assertCryptoError(() => crypto.decrypt(''), 'block_size');
  assertCryptoError(() => crypto.decrypt('AAAA'), 'block_size');
  assertCryptoError(() => crypto.decrypt(Buffer.alloc(40).toString('base64')), 'block_size');
});

test('full-block padding (32 bytes of 0x20) round-trips', () => {
  const crypto = new WechatCrypto({ token: 't', encodingAESKey: KEY_A, appId: APPID });
  const message = 'x'.repeat(64 - 20 - APPID.length); // 20 + 26 + 18 = 64: already aligned
  const encrypt = crypto.encrypt(message);
  const ciphertext = decodeCiphertext(encrypt);
  assert.equal(ciphertext.length, 96);
  const opened = openPayload(prepareAesKey(KEY_A, 'key'), ciphertext);
  assert.equal(opened.padLength, 32);
  assert.equal(crypto.decrypt(encrypt), message);
});

test('key rotation: the previous key still opens messages, says so, and seals the reply', () => {
  const old = new WechatCrypto({ token: 't', encodingAESKey: KEY_B, appId: APPID });
  const rotated = new WechatCrypto({ token: 't', encodingAESKey: KEY_A, previousEncodingAESKey: KEY_B, appId: APPID });
  assert.equal(rotated.hasPreviousKey, true);
  assert.deepEqual(rotated.decryptDetailed(old.encrypt('<xml>old</xml>')), { xml: '<xml>old</xml>', keyIndex: 1 });
  assert.deepEqual(rotated.decryptDetailed(rotated.encrypt('<xml>new</xml>')), { xml: '<xml>new</xml>', keyIndex: 0 });
  // A reply sealed with keyIndex 1 is readable by a sender that only knows the old key.
  assert.equal(old.decrypt(rotated.encrypt('<xml>reply</xml>', { keyIndex: 1 })), '<xml>reply</xml>');
  assertCryptoError(() => old.decrypt(rotated.encrypt('<xml>reply</xml>')), ['padding', 'length', 'appid', 'utf8']);

  const stranger = new WechatCrypto({ token: 't', encodingAESKey: 'Z'.repeat(43), appId: APPID });
  const error = assertCryptoError(() => rotated.decrypt(stranger.encrypt('<xml/>')), ['padding', 'length', 'appid', 'utf8']);
  assert.match(error.message, /previous EncodingAESKey failed too/);
});

test('without a previous key, keyIndex 1 is a configuration error; an empty or identical previous key is ignored', () => {
  const crypto = new WechatCrypto({ token: 't', encodingAESKey: KEY_A, previousEncodingAESKey: '', appId: APPID });
  assert.equal(crypto.hasPreviousKey, false);
  assertCryptoError(() => crypto.encrypt('<xml/>', { keyIndex: 1 }), 'invalid_config');
  const same = new WechatCrypto({ token: 't', encodingAESKey: KEY_A, previousEncodingAESKey: KEY_A, appId: APPID });
  assert.equal(same.hasPreviousKey, false);
});

test('constructor validation: clear errors that never print the key', () => {
  const cases: Array<[Record<string, unknown>, WechatCryptoReason, RegExp]> = [
    [{ encodingAESKey: KEY_A.slice(0, 42) }, 'invalid_key', /encodingAESKey .*43.*has 42 characters/],
    [{ encodingAESKey: `${KEY_A}Q` }, 'invalid_key', /has 44 characters/],
    [{ encodingAESKey: `${KEY_A.slice(0, 42)}+` }, 'invalid_key', /outside \[A-Za-z0-9\]/],
    [{ encodingAESKey: undefined }, 'invalid_key', /encodingAESKey must be a string/],
    [{ previousEncodingAESKey: KEY_B.slice(1) }, 'invalid_key', /previousEncodingAESKey .*has 42 characters/],
    [{ token: '' }, 'invalid_config', /token/],
    [{ appId: '' }, 'invalid_config', /appId/],
    [{ random: 'yes' }, 'invalid_config', /random/],
  ];
  for (const [override, reason, message] of cases) {
    const options = { token: 'secret-token', encodingAESKey: KEY_A, appId: APPID, ...override };
    const error = assertCryptoError(() => new WechatCrypto(options as never), reason);
    assert.match(error.message, message);
    for (const secret of [KEY_A, KEY_A.slice(0, 42), KEY_B.slice(1), 'secret-token']) {
      assert.ok(!error.message.includes(secret), `message leaks a secret: ${error.message}`);
    }
  }
});

test('a random source returning the wrong number of bytes is refused', () => {
  const crypto = new WechatCrypto({ token: 't', encodingAESKey: KEY_A, appId: APPID, random: () => Buffer.alloc(8) });
  assertCryptoError(() => crypto.encrypt('<xml/>'), 'invalid_config');
});

test('default randomness: two encryptions of the same message differ and both decrypt', () => {
  const crypto = new WechatCrypto({ token: 't', encodingAESKey: KEY_A, appId: APPID });
  const seen = new Set<string>();
  for (let i = 0; i < 300; i++) seen.add(crypto.encrypt('<xml>same</xml>')); // crosses a random-pool refill
  assert.equal(seen.size, 300);
  for (const encrypt of seen) assert.equal(crypto.decrypt(encrypt), '<xml>same</xml>');
});
