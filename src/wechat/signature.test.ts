import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { computeMsgSignature, computeSignature, sha1Signature, signatureMatches } from './signature.js';
import { CRYPTO_VECTORS, OFFICIAL_GUIDE as G } from './test-support/vectors.js';

test('signature sorts the parts before hashing (order of arguments does not matter)', () => {
  const expected = createHash('sha1').update('123abcnonce').digest('hex');
  assert.equal(sha1Signature(['nonce', 'abc', '123']), expected);
  assert.equal(sha1Signature(['abc', '123', 'nonce']), expected);
});

test('official guide: GET, plain POST and safe POST signatures', () => {
  assert.equal(computeSignature(G.token, G.get.timestamp, G.get.nonce), G.get.signature);
  assert.equal(computeSignature(G.token, G.postPlain.timestamp, G.postPlain.nonce), G.postPlain.signature);
  assert.equal(computeSignature(G.token, G.postSafe.timestamp, G.postSafe.nonce), G.postSafe.signature);
  assert.equal(
    computeMsgSignature(G.token, G.postSafe.timestamp, G.postSafe.nonce, G.postSafe.encrypt),
    G.postSafe.msgSignature,
  );
  assert.equal(
    computeMsgSignature(G.token, G.reply.timestamp, G.reply.nonce, G.reply.encrypt),
    G.reply.msgSignature,
  );
});

test('every vector: msg_signature (and the plain signature where given) recompute', () => {
  for (const v of CRYPTO_VECTORS) {
    assert.equal(computeMsgSignature(v.token, v.timestamp, v.nonce, v.encrypt), v.msg_signature, v.name);
    if (v.signature !== null) assert.equal(computeSignature(v.token, v.timestamp, v.nonce), v.signature, v.name);
  }
});

test('signatureMatches: equal only for the identical string, whatever the length or type', () => {
  const good = G.get.signature;
  assert.equal(signatureMatches(good, good), true);
  assert.equal(signatureMatches(good.toUpperCase(), good), false);
  assert.equal(signatureMatches(good.slice(0, 39), good), false);
  assert.equal(signatureMatches(`${good}0`, good), false);
  assert.equal(signatureMatches('', good), false);
  assert.equal(signatureMatches(undefined, good), false);
  assert.equal(signatureMatches(null, good), false);
  // Non-ASCII must not collapse onto ASCII (a latin1 conversion would map U+0166 to 'f').
  assert.equal(signatureMatches(`\u0166${good.slice(1)}`, good), false);
});
