import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseXmlTree } from './xml-tree.js';
import { WechatXmlError, type WechatXmlReason } from './errors.js';

function refused(xml: string, reason: WechatXmlReason = 'malformed'): WechatXmlError {
  let caught: unknown;
  try {
    parseXmlTree(xml);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof WechatXmlError, `${JSON.stringify(xml)} was accepted`);
  assert.equal(caught.reason, reason, caught.message);
  return caught;
}

test('leaf values: CDATA verbatim, text trimmed of XML whitespace, runs concatenated', () => {
  const tree = parseXmlTree(
    '<xml>\n  <A><![CDATA[  two spaces  ]]></A>\n  <B>  12  </B>\n  <C></C><D/>\n' +
      '  <E>\n    <![CDATA[x]]>\n  </E>\n  <F>\u3000全角\u3000</F><G> a <![CDATA[ b ]]> c </G>\n</xml>',
  );
  assert.deepEqual(tree, {
    name: 'xml',
    value: { A: '  two spaces  ', B: '12', C: '', D: '', E: 'x', F: '\u3000全角\u3000', G: 'a b c' },
  });
});

test('predefined entities and character references are decoded; others are refused', () => {
  assert.deepEqual(parseXmlTree('<a>&lt;&gt;&amp;&apos;&quot; &#65;&#x42;&#x1F600; &amp;lt;</a>').value, `<>&'" AB😀 &lt;`);
  const error = refused('<a>&nbsp;</a>');
  assert.match(error.message, /&nbsp;/);
  assert.equal(error.position, 3);
  refused('<a>&#0;</a>');
  refused('<a>&#xD800;</a>');
  refused('<a>& b</a>');
  refused('<a>&amp</a>');
  refused('<a b="&x;"/>');
});

test('repeated elements become arrays; item, fail_idx and List are arrays even when single', () => {
  const tree = parseXmlTree(
    '<xml><A>1</A><A>2</A><A>3</A><item><x>1</x></item><fail_idx>4</fail_idx><L><List><t>1</t></List></L></xml>',
  );
  assert.deepEqual(tree.value, {
    A: ['1', '2', '3'],
    item: [{ x: '1' }],
    fail_idx: ['4'],
    L: { List: [{ t: '1' }] },
  });
});

test('nested elements, declaration, comments, processing instructions, BOM and attributes', () => {
  const tree = parseXmlTree(
    '\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<!-- c -->\n<?pi data?>\n' +
      '<xml a="1" b=\'2\'><!-- inside --><P q = "v"><Q>1</Q><R><S>deep</S></R></P><?pi x?></xml>\n<!-- after -->\n',
  );
  assert.deepEqual(tree, { name: 'xml', value: { P: { Q: '1', R: { S: 'deep' } } } });
});

test('mixed content keeps the text beside the children as #text', () => {
  assert.deepEqual(parseXmlTree('<a> t <b>1</b> u </a>').value, { b: '1', '#text': 'tu' });
});

test('names that could pollute prototypes are safe', () => {
  refused('<xml><__proto__>1</__proto__></xml>');
  const value = parseXmlTree('<xml><constructor>1</constructor><constructor>2</constructor><toString/></xml>').value;
  assert.deepEqual(value, { constructor: ['1', '2'], toString: '' });
  assert.equal(Object.getPrototypeOf(value), Object.prototype);
});

test('well-formedness violations are refused', () => {
  for (const xml of [
    '',
    '   ',
    'text',
    '<a>',
    '<a></b>',
    '<a><b></a></b>',
    '<a/><b/>',
    '<a/>x',
    '<a>]]></a>',
    '<a><![CDATA[x</a>',
    '<a><!-- x -- y --></a>',
    '<a><!-- x',
    '<a><!ELEMENT x></a>',
    '<a b></a>',
    '<a b=1></a>',
    '<a b="1"c="2"></a>',
    '<a b="1" b="2"></a>',
    '<a b="<"></a>',
    '<a b="1></a>',
    '<1a/>',
    '<a>< b/></a>',
    '<a></a >x',
    '<a/><?xml version="1.0"?>',
    '<!-- c --><?xml version="1.0"?><a/>',
    '<?xml version="1.0"',
    '<?xmlfoo?><a/>x',
  ]) {
    refused(xml);
  }
});

test('nesting deeper than 32 elements is refused', () => {
  const depth = (n: number) => `${'<a>'.repeat(n)}${'</a>'.repeat(n)}`;
  parseXmlTree(depth(32));
  refused(depth(33), 'too_deep');
  refused(depth(100_000), 'too_deep');
});

test('line ends are normalised to LF, in text and CDATA alike', () => {
  assert.deepEqual(parseXmlTree('<x><a>1\r\n2\r3</a><b><![CDATA[p\r\nq]]></b></x>').value, { a: '1\n2\n3', b: 'p\nq' });
});

test('a comment does not split a text run, nor join a reference cut in two', () => {
  assert.equal(parseXmlTree('<a> x <!-- c --> y </a>').value, 'x  y');
  assert.equal(parseXmlTree('<a>&amp;<!-- c -->&lt;</a>').value, '&<');
  refused('<a>&am<!-- c -->p;</a>');
});
