import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { annotationsPath, appDslPath, appFileStem, slugify, unsafePathReason, versionDslPath } from './file-name.js';

const ID = '0b5a9c1e-7f2d-4c3b-9a8e-1d2c3b4a5f60';

test('CJK names stay readable; separators and punctuation become single dashes', () => {
  assert.equal(appFileStem('客服助手 / FAQ', ID), `客服助手-FAQ--${ID}`);
  assert.equal(appFileStem('日本語のボット：テスト', ID), `日本語のボット-テスト--${ID}`);
  assert.equal(appFileStem('한국어 챗봇', ID), `한국어-챗봇--${ID}`);
  assert.equal(slugify('Sales  &  Support: v2.0'), 'Sales-Support-v2.0');
});

test('full-width forms are folded to ASCII (NFKC), characters Windows forbids never survive', () => {
  assert.equal(slugify('ＡＢＣ１２３'), 'ABC123');
  assert.equal(slugify('a<b>c:d"e/f\\g|h?i*j'), 'a-b-c-d-e-f-g-h-i-j');
  assert.equal(slugify('tab\there\nnewline\u0000nul'), 'tab-here-newline-nul');
});

test('names with nothing readable get "app"; leading dots and trailing dots are dropped', () => {
  assert.equal(appFileStem('🤖🤖', ID), `app--${ID}`);
  assert.equal(appFileStem('', ID), `app--${ID}`);
  assert.equal(appFileStem('...hidden', ID), `hidden--${ID}`);
  assert.equal(slugify('trailing. '), 'trailing');
});

test('the same name twice gives two different stems (the id decides); reserved Windows names are harmless', () => {
  const a = appFileStem('Flow', ID);
  const b = appFileStem('Flow', '9f8e7d6c-5b4a-4321-8fed-cba987654321');
  assert.notEqual(a, b);
  assert.equal(appFileStem('CON', ID), `CON--${ID}`); // "CON--…" is not a reserved device name
});

test('long names are cut by code points and by UTF-8 bytes', () => {
  assert.equal([...slugify('a'.repeat(300))].length, 40);
  const cjk = slugify('长'.repeat(300));
  assert.ok(Buffer.byteLength(cjk) <= 90, `${Buffer.byteLength(cjk)} bytes`);
  assert.equal(cjk, '长'.repeat(30));
});

test('property: any name gives a safe, bounded file name that ends with the id', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.uuid(), (name, id) => {
      const stem = appFileStem(name, id);
      assert.ok(stem.endsWith(`--${id}`));
      assert.doesNotMatch(stem, /[<>:"/\\|?*]/);
      assert.ok([...stem].every((ch) => (ch.codePointAt(0) ?? 0) >= 0x20), 'no control characters');
      assert.doesNotMatch(stem, /^[.\-_]/);
      // The longest file we derive from a stem must fit a 255-byte path component.
      assert.ok(Buffer.byteLength(`${stem}.yml`) <= 255);
      assert.equal(stem, stem.normalize('NFKC'));
    }),
    { numRuns: 500 },
  );
});

test('derived paths: DSL, versions (sortable time, no colons) and annotations', () => {
  const stem = appFileStem('Flow', ID);
  assert.equal(appDslPath(stem), `Flow--${ID}.yml`);
  assert.equal(versionDslPath(stem, '2025-11-20 10:00:00.123456', 'wf-1'), `Flow--${ID}/versions/2025-11-20T10-00-00--wf-1.yml`);
  assert.equal(versionDslPath(stem, 'odd/version', 'wf:2'), `Flow--${ID}/versions/odd-version--wf-2.yml`);
  assert.equal(annotationsPath(stem), `Flow--${ID}/annotations.json`);
});

test('unsafe archive paths are recognised (zip-slip, absolute, backslashes)', () => {
  assert.equal(unsafePathReason('a/b.yml'), undefined);
  assert.match(unsafePathReason('../etc/passwd') ?? '', /\.\./);
  assert.match(unsafePathReason('a/../../b') ?? '', /\.\./);
  assert.match(unsafePathReason('/etc/passwd') ?? '', /absolute/);
  assert.match(unsafePathReason('C:/x.yml') ?? '', /absolute/);
  assert.match(unsafePathReason('a\\b.yml') ?? '', /backslash/);
  assert.match(unsafePathReason('a//b.yml') ?? '', /empty/);
});
