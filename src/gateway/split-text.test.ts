import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { splitUtf8, utf8Length } from './split-text.js';

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

test('short text is one part', () => {
  assert.deepEqual(splitUtf8('你好', 2048), ['你好']);
});

test('a 6,000-byte Chinese answer splits into parts ≤ 2048 bytes, losslessly, at sentence ends', () => {
  const sentence = '微信公众号的被动回复有五秒的时限，超时后微信会重试。';
  let text = '';
  while (bytes(text) < 6000) text += sentence;
  const parts = splitUtf8(text, 2048);
  assert.ok(parts.length >= 3);
  assert.equal(parts.join(''), text, 'nothing lost or repeated');
  for (const p of parts) {
    assert.ok(bytes(p) <= 2048, `part of ${bytes(p)} bytes`);
    assert.ok(!p.includes('\uFFFD'));
  }
  for (const p of parts.slice(0, -1)) assert.ok(p.endsWith('。'), `cut at a sentence end: …${p.slice(-5)}`);
});

test('prefers paragraph, then line ends', () => {
  const para = 'a'.repeat(1500) + '\n\n' + 'b'.repeat(300) + '\n' + 'c'.repeat(600);
  const [first] = splitUtf8(para, 2048);
  assert.equal(first, 'a'.repeat(1500) + '\n\n');
  const lines = 'a'.repeat(1500) + '\n' + 'b'.repeat(300) + '。' + 'c'.repeat(600);
  assert.equal(splitUtf8(lines, 2048)[0], 'a'.repeat(1500) + '\n');
});

test('never breaks a 4-byte character or an emoji cluster', () => {
  const family = '👨‍👩‍👧‍👦';
  const text = family.repeat(400); // 25 bytes each, no break opportunities but graphemes
  const parts = splitUtf8(text, 100);
  assert.equal(parts.join(''), text);
  for (const p of parts) {
    assert.ok(bytes(p) <= 100);
    assert.equal(p.length % family.length, 0, 'whole clusters only');
  }
});

test('utf8Length agrees with Buffer.byteLength, lone surrogates included', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => utf8Length(s) === bytes(s)),
    { numRuns: 1000 },
  );
  assert.equal(utf8Length('\uD800x'), bytes('\uD800x'));
});

test('property: random text splits losslessly within the limit', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 2000 }), fc.integer({ min: 16, max: 600 }), (s, max) => {
      const parts = splitUtf8(s, max);
      assert.equal(parts.join(''), s);
      for (const p of parts) assert.ok(bytes(p) <= max, `${bytes(p)} > ${max}`);
      assert.ok(parts.every((p) => p.length > 0) || s === '');
    }),
    { numRuns: 500 },
  );
});
