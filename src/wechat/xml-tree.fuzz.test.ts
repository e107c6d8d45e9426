import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parseXmlTree } from './xml-tree.js';
import { parseEnvelope, parseMessage } from './parse-message.js';
import { parseReply } from './parse-reply.js';
import { WechatXmlError } from './errors.js';

// The reference: fast-xml-parser configured the way the hand-written parser claims to behave.
const reference = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: true,
  isArray: (name) => name === 'item' || name === 'fail_idx' || name === 'List',
});

const name = fc.constantFrom('xml', 'ToUserName', 'Content', 'MsgId', 'item', 'fail_idx', 'List', 'a', 'B', 'c-d', 'e.f', 'g_h', 'n:s', '名前');
const space = fc.constantFrom('', ' ', '\n', '\n  ', '\t', '\r\n');
const cjk = fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCodePoint(c));
const emoji = fc.integer({ min: 0x1f300, max: 0x1faff }).map((c) => String.fromCodePoint(c));
const ascii = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));
const textChar = fc.oneof(ascii, cjk, emoji, fc.constantFrom('\n', '\t')).filter((c) => c !== '<' && c !== '&');
const reference_ = fc.constantFrom('&amp;', '&lt;', '&gt;', '&quot;', '&apos;', '&#65;', '&#x4E2D;', '&#x1F600;', '&#233;');
const text = fc
  .array(fc.oneof({ weight: 6, arbitrary: textChar }, { weight: 1, arbitrary: reference_ }), { maxLength: 30 })
  .map((parts) => parts.join('').replaceAll(']]>', ']] >'));
const cdataSection = fc
  .string({ unit: fc.oneof(textChar, fc.constantFrom('<', '&', ']', '>')), maxLength: 40 })
  .map((s) => `<![CDATA[${s.replaceAll(']]>', ']] >')}]]>`);
const comment = fc
  .string({ unit: fc.oneof(ascii, cjk), maxLength: 20 })
  .map((s) => `<!--${s.replaceAll('-', '_')}-->`);
const attributes = fc.array(fc.tuple(fc.constantFrom('id', 'x', 'lang'), fc.stringMatching(/^[a-z0-9 ]{0,8}$/)), { maxLength: 2 }).map(
  (pairs) => [...new Map(pairs)].map(([k, v]) => ` ${k}="${v}"`).join(''),
);

const { element } = fc.letrec<{ element: string; leaf: string; parent: string }>((tie) => ({
  element: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('leaf'), tie('parent')),
  leaf: fc
    .tuple(name, attributes, fc.array(fc.oneof(text, cdataSection, comment, space), { maxLength: 4 }), fc.boolean())
    .map(([n, attrs, parts, selfClosing]) =>
      selfClosing && parts.length === 0 ? `<${n}${attrs}/>` : `<${n}${attrs}>${parts.join('')}</${n}>`,
    ),
  parent: fc
    .tuple(name, attributes, fc.array(fc.tuple(space, tie('element')), { minLength: 1, maxLength: 4 }), space)
    .map(([n, attrs, children, tail]) => `<${n}${attrs}>${children.map(([s, c]) => s + c).join('')}${tail}</${n}>`),
}));

const document = fc
  .tuple(fc.boolean(), fc.option(comment), element, space)
  .map(([declaration, lead, root, trail]) =>
    `${declaration ? '<?xml version="1.0" encoding="UTF-8"?>\n' : ''}${lead ?? ''}${root}${trail}`,
  );

function rootName(xml: string): string {
  return /<([^\s/>!?]+)[\s/>]/.exec(xml.replace(/^<\?xml[^>]*\?>/, '').replace(/<!--[\s\S]*?-->/g, ''))?.[1] ?? '';
}

test('on valid documents the hand-written parser agrees with fast-xml-parser', () => {
  fc.assert(
    fc.property(document, (xml) => {
      assert.equal(XMLValidator.validate(xml), true, 'the generator made an invalid document');
      const ours = parseXmlTree(xml);
      const theirs = reference.parse(xml) as Record<string, unknown>;
      assert.equal(ours.name, rootName(xml));
      // fast-xml-parser applies isArray to the root too; the hand-written parser has exactly one root.
      const theirRoot = theirs[ours.name];
      const expected = Array.isArray(theirRoot) && theirRoot.length === 1 ? theirRoot[0] : theirRoot;
      assert.deepEqual(JSON.parse(JSON.stringify(ours.value)), expected);
    }),
    { numRuns: 1500 },
  );
});

const REALISTIC = [
  '<xml><ToUserName><![CDATA[gh_1]]></ToUserName>\n<FromUserName><![CDATA[o1]]></FromUserName>\n<CreateTime>1714112445</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[你好 😀]]></Content>\n<MsgId>7250021412600020992</MsgId>\n</xml>',
  '<xml><ToUserName><![CDATA[gh_1]]></ToUserName><Encrypt><![CDATA[abcd+/==]]></Encrypt></xml>',
  '<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[mphelper]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[PUBLISHJOBFINISH]]></Event><PublishEventInfo><publish_id>22</publish_id><publish_status>2</publish_status><fail_idx>1</fail_idx><fail_idx>2</fail_idx></PublishEventInfo></xml>',
];
const XMLISH = fc.constantFrom('<', '>', '/', '!', '[', ']', '<![CDATA[', ']]>', '&', ';', '#', 'x', 'xml', ' ', '"', '=', '?', '-', '<!--', '-->', '&amp;', '&#', 'a');

function mutate(xml: string, at: number, kind: number, insert: string): string {
  const i = at % (xml.length + 1);
  if (kind === 0) return xml.slice(0, i); // truncated
  if (kind === 1) return xml.slice(0, i) + xml.slice(i + 1); // one character dropped
  if (kind === 2) return xml.slice(0, i) + insert + xml.slice(i); // garbage inserted
  return xml.slice(0, i) + insert + xml.slice(i + insert.length); // overwritten
}

const garbled = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: XMLISH, maxLength: 60 }),
  fc
    .tuple(fc.oneof(document, fc.constantFrom(...REALISTIC)), fc.nat(), fc.nat(3), fc.string({ unit: XMLISH, maxLength: 4 }))
    .map(([xml, at, kind, insert]) => mutate(xml, at, kind, insert)),
);

test('random, garbled and truncated input never throws anything but WechatXmlError', () => {
  fc.assert(
    fc.property(garbled, (input) => {
      for (const parse of [parseXmlTree, parseMessage, parseEnvelope, parseReply, (s: string) => parseMessage(Buffer.from(s))]) {
        try {
          parse(input);
        } catch (error) {
          if (!(error instanceof WechatXmlError)) throw error;
        }
      }
    }),
    { numRuns: 3000 },
  );
});
