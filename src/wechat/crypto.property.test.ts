import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { WechatCrypto } from './crypto.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'.split('');
const encodingAESKey = fc.array(fc.constantFrom(...ALNUM), { minLength: 43, maxLength: 43 }).map((c) => c.join(''));
const appId = fc.oneof(
  fc.stringMatching(/^wx[0-9a-f]{16}$/),
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
);
const cjk = fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCodePoint(c));
const emoji = fc.integer({ min: 0x1f300, max: 0x1faff }).map((c) => String.fromCodePoint(c));
const message = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.string({ unit: fc.oneof(cjk, emoji, fc.constantFrom('a', ' ', '\n', '<', ']]>')), maxLength: 1500 }),
  fc.string({ unit: 'binary', minLength: 1000, maxLength: 4000 }),
);

test('decrypt(encrypt(x)) = x for 1,000 random messages, keys and AppIDs', () => {
  fc.assert(
    fc.property(encodingAESKey, appId, message, (key, id, xml) => {
      const crypto = new WechatCrypto({ token: 'token', encodingAESKey: key, appId: id });
      const encrypt = crypto.encrypt(xml);
      assert.equal(Buffer.from(encrypt, 'base64').length % 32, 0);
      assert.deepEqual(crypto.decryptDetailed(encrypt), { xml, keyIndex: 0 });
    }),
    { numRuns: 1000 },
  );
});

test('key rotation: a message sealed with the previous key decrypts, and the reply goes back with it', () => {
  fc.assert(
    fc.property(encodingAESKey, encodingAESKey, appId, message, (current, previous, id, xml) => {
      fc.pre(current !== previous);
      const sender = new WechatCrypto({ token: 'token', encodingAESKey: previous, appId: id });
      const rotated = new WechatCrypto({ token: 'token', encodingAESKey: current, previousEncodingAESKey: previous, appId: id });
      const opened = rotated.decryptDetailed(sender.encrypt(xml));
      assert.deepEqual(opened, { xml, keyIndex: 1 });
      assert.equal(sender.decrypt(rotated.encrypt(xml, { keyIndex: opened.keyIndex })), xml);
    }),
    { numRuns: 300 },
  );
});
