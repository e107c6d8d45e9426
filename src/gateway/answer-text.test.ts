import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isPlainText, markdownToText, parseMarkdownToText, shapeAnswer, stripThinking } from './answer-text.js';

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

test('plain text skips the parser and comes out exactly as the parser would give it', () => {
  // Characters a chat answer is made of, with every ASCII character Markdown cares about mixed in.
  const alphabet = [...'今天晴，气温二十度。适合散步！好的？abcXYZ019 ,;?/"\'\n\n\n', ...'\\`*_[]()#+-.!|<>&~=:$@^{}%\t\r'];
  let seed = 7;
  const random = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  let plain = 0;
  for (let i = 0; i < 4000; i++) {
    // Mostly safe characters, so that plenty of samples take the shortcut.
    const safe = random(3) > 0;
    const length = 1 + random(40);
    let text = '';
    for (let j = 0; j < length; j++) text += alphabet[random(safe ? 40 : alphabet.length)];
    if (!isPlainText(text)) continue;
    plain++;
    assert.deepEqual(markdownToText(text), parseMarkdownToText(text), JSON.stringify(text));
  }
  assert.ok(plain > 1000, `only ${plain} samples were plain text`);
  for (const text of ['第一段\n\n\n\n第二段', '\n\n开头和结尾\n\n', '一行\n两行']) {
    assert.equal(isPlainText(text), true, JSON.stringify(text));
    assert.deepEqual(markdownToText(text), parseMarkdownToText(text), JSON.stringify(text));
  }
  assert.equal(isPlainText('适合。今天晴，气温二十度左右，微风。'), true);
  for (const markdown of ['**粗体**', '# 标题', '1. 一', '- 项', '[链接](https://x)', '  缩进', '行尾 ', 'a\tb', '&amp;']) {
    assert.equal(isPlainText(markdown), false, markdown);
  }
});
