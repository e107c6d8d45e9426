import assert from 'node:assert/strict';
import { test } from 'node:test';
import { characterCount, decodeHtmlEntities, plainTextOfHtml, visibleTextLength } from './html-text.js';

test('entities decode; unknown and out-of-range ones stay as written', () => {
  assert.equal(decodeHtmlEntities('a&lt;b&gt;&amp;&quot;&#39;&#x4e2d;&nbsp;'), 'a<b>&"\'中\u00a0');
  assert.equal(decodeHtmlEntities('&copy; &#0; &#x110000;'), '&copy; &#0; &#x110000;');
});

test('characters are code points; visible text leaves out tags, whitespace and SVG', () => {
  assert.equal(characterCount('a中😀'), 3);
  assert.equal(visibleTextLength('<p style="x">中 文</p>\n<br><svg><text>999</text></svg>&nbsp;'), 2);
});

test('plain text of article HTML: one line per block, inline markup dropped, blank lines squeezed', () => {
  const html = '<section><h2 style="a">标题</h2><p>第一段 <strong>加粗</strong></p><p></p><p></p><p>第二段<br>换行</p><figure><img src="x"></figure></section>';
  assert.equal(plainTextOfHtml(html), '标题\n第一段 加粗\n\n第二段\n换行');
});
