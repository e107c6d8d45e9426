import { test } from 'node:test';
import assert from 'node:assert/strict';
import { preserveCodeWhitespace, renderCodeBlock } from './code-block.js';

test('newlines become <br> and spaces/tabs &nbsp;, but tags are left intact', () => {
  assert.equal(
    preserveCodeWhitespace('<span class="hljs-keyword">if</span> (a) {\n\treturn  1;\n}'),
    '<span class="hljs-keyword">if</span>&nbsp;(a)&nbsp;{<br>&nbsp;&nbsp;&nbsp;&nbsp;return&nbsp;&nbsp;1;<br>}',
  );
  assert.equal(preserveCodeWhitespace('<span class="a b">x y</span>'), '<span class="a b">x&nbsp;y</span>');
  assert.equal(preserveCodeWhitespace('a &lt; b'), 'a&nbsp;&lt;&nbsp;b', 'entities are not split');
});

test('known languages are highlighted; unknown ones are escaped and reported', () => {
  const ts = renderCodeBlock('const a = "<b>";\n', 'ts');
  assert.equal(ts.language, 'ts');
  assert.match(ts.html, /<span class="hljs-keyword">const<\/span>/);
  assert.match(ts.html, /&quot;&lt;b&gt;&quot;/);
  assert.ok(!ts.html.endsWith('<br>'), 'the fence’s final newline is not a blank line');

  const unknown = renderCodeBlock('x <y>\n', 'klingon extra-info');
  assert.equal(unknown.language, undefined);
  assert.equal(unknown.unknownLanguage, 'klingon');
  assert.equal(unknown.html, 'x&nbsp;&lt;y&gt;');

  assert.equal(renderCodeBlock('plain\n', '').unknownLanguage, undefined, 'no language is not an unknown language');
  assert.equal(renderCodeBlock('a\r\nb', 'text').html, 'a<br>b', 'CRLF is one line break');
});
