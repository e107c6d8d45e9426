import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeXmlBody, readXmlDocument, DEFAULT_MAX_XML_BYTES } from './xml-body.js';
import { parseMessage } from './parse-message.js';
import { WechatXmlError, type WechatXmlReason } from './errors.js';

function assertXmlError(fn: () => unknown, reason: WechatXmlReason): WechatXmlError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof WechatXmlError, `expected WechatXmlError, got ${String(caught)}`);
  assert.equal(caught.reason, reason, caught.message);
  assert.equal(caught.code, 'WECHAT_XML_ERROR');
  return caught;
}

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<xml><ToUserName>gh_1</ToUserName><FromUserName>o1</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>&lol9;</Content></xml>`;

test('a billion-laughs entity bomb is refused before parsing, as a DOCTYPE', () => {
  const error = assertXmlError(() => parseMessage(BILLION_LAUGHS), 'doctype');
  assert.equal(error.position, BILLION_LAUGHS.indexOf('<!DOCTYPE'));
  assertXmlError(() => parseMessage(Buffer.from(BILLION_LAUGHS)), 'doctype');
});

test('DOCTYPE and ENTITY declarations are refused wherever markup can be, in any case (XXE)', () => {
  const xxe = '<!doctype xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><A>&xxe;</A></xml>';
  assertXmlError(() => decodeXmlBody(xxe), 'doctype');
  assertXmlError(() => decodeXmlBody('<xml><A><![CDATA[x]]></A><!EnTiTy x "y"></xml>'), 'doctype');
  assertXmlError(() => decodeXmlBody('<xml></xml>\n<!DocType x>'), 'doctype');
  assertXmlError(() => decodeXmlBody('<xml><A><![CDATA[a]]>]]><!DOCTYPE x></A></xml>'), 'doctype');
});

test('a follower pasting "<!DOCTYPE html>" in a text message is just text (inside CDATA)', () => {
  const xml =
    '<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[o1]]></FromUserName><CreateTime>1</CreateTime>' +
    '<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[<!DOCTYPE html><!ENTITY x "y">]]></Content><MsgId>1</MsgId></xml>';
  const message = parseMessage(xml);
  assert.equal(message.kind === 'text' && message.content, '<!DOCTYPE html><!ENTITY x "y">');
});

test('bodies over the limit are refused by size, for strings and bytes; maxBytes adjusts the limit', () => {
  assert.equal(DEFAULT_MAX_XML_BYTES, 65536);
  const mib = `<xml><Content><![CDATA[${'a'.repeat(1024 * 1024)}]]></Content></xml>`;
  assertXmlError(() => parseMessage(mib), 'too_large');
  assertXmlError(() => parseMessage(Buffer.from(mib)), 'too_large');
  // 21,850 CJK characters are 65,550 UTF-8 bytes: refused although the string is only ~22k units long.
  const cjk = `<xml><A>${'汉'.repeat(21_850)}</A></xml>`;
  assert.ok(cjk.length < 65536 && Buffer.byteLength(cjk) > 65536);
  const error = assertXmlError(() => decodeXmlBody(cjk), 'too_large');
  assert.match(error.message, /65536-byte limit/);
  const small = '<xml><A>1</A></xml>';
  assert.equal(decodeXmlBody(small, { maxBytes: small.length }), small);
  assertXmlError(() => decodeXmlBody(small, { maxBytes: small.length - 1 }), 'too_large');
});

test('bytes that are not UTF-8 are refused; a UTF-8 BOM is accepted', () => {
  const latin1 = Buffer.from('<xml><Content>caf\xe9</Content></xml>', 'latin1');
  assertXmlError(() => parseMessage(latin1), 'encoding');
  assertXmlError(() => decodeXmlBody(Buffer.from([0x3c, 0x78, 0xc3, 0x28, 0x3e])), 'encoding');
  const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<xml><A>é</A></xml>')]);
  assert.deepEqual(readXmlDocument(bom), { A: 'é' });
});

test('malformed XML and a foreign root are refused with their own reasons', () => {
  for (const bad of [
    '',
    'success',
    '<xml><A>1</A>',
    '<xml><A>1</B></xml>',
    '<xml><A>1</A></xml><xml/>',
    '<xml><A>1</A></xml>trailing',
    '<xml><A>a & b</A></xml>',
    '{"ToUserName":"gh"}',
  ]) {
    assertXmlError(() => readXmlDocument(bad), 'malformed');
  }
  assertXmlError(() => readXmlDocument('<root><A>1</A></root>'), 'root');
});
