import { test } from 'node:test';
import assert from 'node:assert/strict';
import { markdownToText, shapeAnswer, stripThinking } from './answer-text.js';

test('think blocks are removed, closed or not', () => {
  assert.equal(stripThinking('<think>reasoning\nmore</think>答案'), '答案');
  assert.equal(stripThinking('前言<think>still thinking'), '前言');
  assert.equal(shapeAnswer('<think>x</think>\n\n**答案**是 42').text, '答案是 42');
});

test('headings, emphasis, links and inline code become plain text', () => {
  const { text } = markdownToText('# 标题\n\n这是**重点**和*强调*，见[文档](https://example.com/doc)与`npm ci`。');
  assert.equal(text, '标题\n\n这是重点和强调，见文档 (https://example.com/doc)与npm ci。');
});

test('lists keep markers and nesting; ordered lists keep numbers', () => {
  const { text } = markdownToText('- 一\n- 二\n  - 二点一\n\n1. first\n2. second\n');
  assert.equal(text, '• 一\n• 二\n  • 二点一\n\n1. first\n2. second');
});

test('code blocks are kept verbatim', () => {
  const { text } = markdownToText('看代码：\n\n```js\nif (a) {\n  return 1;\n}\n```\n');
  assert.equal(text, '看代码：\n\nif (a) {\n  return 1;\n}');
});

test('tables become rows, blockquotes are marked, images collected', () => {
  const shaped = markdownToText('| a | b |\n|---|---|\n| 1 | 2 |\n\n> 引用\n\n![图](https://x.test/a.png)');
  assert.equal(shaped.text, 'a | b\n1 | 2\n\n> 引用\n\n[图] https://x.test/a.png');
  assert.deepEqual(shaped.images, [{ url: 'https://x.test/a.png', alt: '图' }]);
});

test('raw HTML tags are dropped, their text kept; a bare link is not doubled', () => {
  assert.equal(markdownToText('<b>粗</b> 和 <https://a.test>').text, '粗 和 https://a.test');
});
