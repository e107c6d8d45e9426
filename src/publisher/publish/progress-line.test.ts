import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProgressLine } from './progress-line.js';

test('a terminal gets one line redrawn in place, truncated to its width, and cleared at the end', () => {
  let out = '';
  const line = new ProgressLine((t) => (out += t), true, 20);
  line.update('[1/2] uploading a.png');
  line.update('[2/2] b');
  line.clear();
  // 19 columns: the last column stays free so that the terminal never wraps the line
  assert.equal(out, '\r\x1b[2K[1/2] uploading a.…\r\x1b[2K[2/2] b\r\x1b[2K');
  assert.ok(!out.includes('\n'));
  out = '';
  line.update('上传图片：封面图片很长的名字.png');
  assert.equal(out, '\r\x1b[2K上传图片：封面图片…', 'CJK characters take two columns');
});

test('a pipe gets plain lines and no control characters', () => {
  let out = '';
  const line = new ProgressLine((t) => (out += t), false);
  line.update('[1/2] a');
  line.update('[2/2] b');
  line.clear();
  assert.equal(out, '[1/2] a\n[2/2] b\n');
});
