import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildEncryptedReply,
  buildImageReply,
  buildMusicReply,
  buildNewsReply,
  buildReply,
  buildSuccessReply,
  buildTextReply,
  buildTransferCustomerServiceReply,
  buildVideoReply,
  buildVoiceReply,
  replyAddress,
  SUCCESS_REPLY,
  type PassiveReply,
} from './reply.js';
import { decryptReply, parseReply, type ParsedReply } from './parse-reply.js';
import { parseEnvelope, parseMessage } from './parse-message.js';
import { WechatCrypto } from './crypto.js';
import { WechatCryptoError, WechatReplyError, WechatXmlError } from './errors.js';
import { CRYPTO_VECTORS, OFFICIAL_GUIDE as G } from './test-support/vectors.js';

const TO = { toUserName: 'oJqxQwYRyZMXFTc8sipB5TSe6Vw4', fromUserName: 'gh_b4f0e22ae50e', createTime: 1714112446 };

function withoutRaw(reply: ParsedReply): Record<string, unknown> {
  if (!('raw' in reply)) return { ...reply };
  const { raw, ...rest } = reply;
  assert.equal(typeof raw, 'object');
  return rest;
}

test('text reply: exact XML, and parsed back', () => {
  const xml = buildTextReply(TO, '你好\n<a href="https://mp.weixin.qq.com">链接</a>');
  assert.equal(
    xml,
    '<xml><ToUserName><![CDATA[oJqxQwYRyZMXFTc8sipB5TSe6Vw4]]></ToUserName><FromUserName><![CDATA[gh_b4f0e22ae50e]]></FromUserName>' +
      '<CreateTime>1714112446</CreateTime><MsgType><![CDATA[text]]></MsgType>' +
      '<Content><![CDATA[你好\n<a href="https://mp.weixin.qq.com">链接</a>]]></Content></xml>',
  );
  assert.deepEqual(withoutRaw(parseReply(xml)), { ...TO, kind: 'text', content: '你好\n<a href="https://mp.weixin.qq.com">链接</a>' });
});

test('"]]>" anywhere in content survives the CDATA wrapping exactly', () => {
  for (const content of [']]>', 'a]]>b', ']]>]]>', ']]]]>>', 'x]]', '[[<![CDATA[y]]>', ']]>\n]]>  ']) {
    const xml = buildTextReply(TO, content);
    const parsed = parseReply(xml);
    assert.equal(parsed.kind === 'text' && parsed.content, content, xml);
  }
  const news = buildNewsReply(TO, [{ title: 'a]]>b', description: ']]>', url: 'https://x/?q=]]>', picUrl: '' }]);
  const parsed = parseReply(news);
  assert.deepEqual(parsed.kind === 'news' && parsed.articles, [
    { title: 'a]]>b', description: ']]>', url: 'https://x/?q=]]>', picUrl: '' },
  ]);
});

test('characters XML cannot carry are dropped instead of making the whole reply invalid', () => {
  const parsed = parseReply(buildTextReply(TO, 'a\u0000b\u001fc\ud800d\té\n😀\uffff'));
  assert.equal(parsed.kind === 'text' && parsed.content, 'abcd\té\n😀');
});

test('every reply type round-trips through parseReply', () => {
  const replies: PassiveReply[] = [
    { ...TO, kind: 'text', content: 'hi' },
    { ...TO, kind: 'image', mediaId: 'img_1' },
    { ...TO, kind: 'voice', mediaId: 'voice_1' },
    { ...TO, kind: 'video', mediaId: 'video_1', title: '标题', description: '描述' },
    { ...TO, kind: 'video', mediaId: 'video_2', title: undefined, description: undefined },
    {
      ...TO, kind: 'music', title: 'song', description: 'desc', musicUrl: 'http://m/1.mp3', hqMusicUrl: 'http://m/1hq.mp3',
      thumbMediaId: 'thumb_1',
    },
    { ...TO, kind: 'music', title: undefined, description: undefined, musicUrl: undefined, hqMusicUrl: undefined, thumbMediaId: 't' },
    {
      ...TO, kind: 'news',
      articles: [
        { title: 'A', description: 'first', picUrl: 'http://p/1.jpg', url: 'https://mp.weixin.qq.com/s/1' },
        { title: 'B', description: '', picUrl: '', url: '' },
      ],
    },
    { ...TO, kind: 'transfer_customer_service', kfAccount: undefined },
    { ...TO, kind: 'transfer_customer_service', kfAccount: 'test1@test' },
  ];
  for (const reply of replies) {
    const parsed = parseReply(buildReply(reply));
    assert.deepEqual(withoutRaw(parsed), reply, reply.kind);
  }
});

test('the per-type builders produce the same XML as buildReply', () => {
  assert.equal(buildImageReply(TO, 'm'), buildReply({ ...TO, kind: 'image', mediaId: 'm' }));
  assert.equal(buildVoiceReply(TO, 'm'), buildReply({ ...TO, kind: 'voice', mediaId: 'm' }));
  assert.equal(buildVideoReply(TO, { mediaId: 'm', title: 't' }), buildReply({ ...TO, kind: 'video', mediaId: 'm', title: 't' }));
  assert.equal(buildMusicReply(TO, { thumbMediaId: 'th' }), buildReply({ ...TO, kind: 'music', thumbMediaId: 'th' }));
  assert.equal(buildTransferCustomerServiceReply(TO), buildReply({ ...TO, kind: 'transfer_customer_service' }));
  assert.match(buildNewsReply(TO, [{ title: 't' }]), /<ArticleCount>1<\/ArticleCount><Articles><item><Title><!\[CDATA\[t\]\]><\/Title>/);
});

test('news replies need 1 to 8 articles; CreateTime must be unix seconds', () => {
  assert.throws(() => buildNewsReply(TO, []), WechatReplyError);
  assert.throws(() => buildNewsReply(TO, Array.from({ length: 9 }, (_, i) => ({ title: `t${i}` }))), /1 to 8 articles, got 9/);
  const eight = parseReply(buildNewsReply(TO, Array.from({ length: 8 }, (_, i) => ({ title: `t${i}` }))));
  assert.equal(eight.kind === 'news' && eight.articles.length, 8);
  assert.throws(() => buildTextReply({ ...TO, createTime: 1.5 }, 'x'), WechatReplyError);
  assert.throws(() => buildTextReply({ ...TO, createTime: -1 }, 'x'), WechatReplyError);
});

test('replyAddress answers the sender from the account it wrote to', () => {
  assert.deepEqual(replyAddress({ toUserName: 'gh_1', fromUserName: 'o_1' }, 7), { toUserName: 'o_1', fromUserName: 'gh_1', createTime: 7 });
});

test('success and empty bodies mean "no reply"; anything else that is not reply XML is refused', () => {
  assert.equal(buildSuccessReply(), 'success');
  assert.equal(SUCCESS_REPLY, 'success');
  assert.deepEqual(parseReply('success'), { kind: 'success' });
  assert.deepEqual(parseReply(''), { kind: 'empty' });
  assert.deepEqual(parseReply(Buffer.alloc(0)), { kind: 'empty' });
  for (const bad of ['{"reply":"hi"}', 'Success', '<xml><Content>x</xml>', '<html><body>500</body></html>']) {
    assert.throws(() => parseReply(bad), WechatXmlError, bad);
  }
  assert.throws(
    () => parseReply('<xml><ToUserName>o</ToUserName><FromUserName>g</FromUserName><CreateTime>1</CreateTime></xml>'),
    (e: unknown) => e instanceof WechatXmlError && e.reason === 'missing_field',
  );
  const unknown = parseReply('<xml><ToUserName>o</ToUserName><FromUserName>g</FromUserName><CreateTime>1</CreateTime><MsgType>miniprogrampage</MsgType></xml>');
  assert.deepEqual(withoutRaw(unknown), { toUserName: 'o', fromUserName: 'g', createTime: 1, kind: 'unknown', msgType: 'miniprogrampage' });
});

test('encrypted envelope matches the wechatpy-encrypt-reply vector', () => {
  const v = CRYPTO_VECTORS.find((x) => x.name === 'wechatpy-encrypt-reply')!;
  const crypto = new WechatCrypto({
    token: v.token, encodingAESKey: v.encoding_aes_key, appId: v.appid, random: () => Buffer.from(v.random16),
  });
  const xml = buildEncryptedReply(crypto, v.plaintext, v.timestamp, v.nonce);
  assert.equal(
    xml,
    `<xml><Encrypt><![CDATA[${v.encrypt}]]></Encrypt><MsgSignature><![CDATA[${v.msg_signature}]]></MsgSignature>` +
      `<TimeStamp>${v.timestamp}</TimeStamp><Nonce><![CDATA[${v.nonce}]]></Nonce></xml>`,
  );
  const envelope = parseReply(xml);
  assert.deepEqual(envelope, {
    kind: 'encrypted', encrypt: v.encrypt, msgSignature: v.msg_signature, timeStamp: '1411525903', nonce: '461056294',
  });
  // The source's own multi-line envelope parses to the same fields.
  const sourceStyle = `<xml>\n<Encrypt><![CDATA[${v.encrypt}]]></Encrypt>\n<MsgSignature><![CDATA[${v.msg_signature}]]></MsgSignature>\n<TimeStamp>1411525903</TimeStamp>\n<Nonce><![CDATA[461056294]]></Nonce>\n</xml>`;
  assert.deepEqual(parseReply(sourceStyle), envelope);
});

test('official guide: the encrypted reply carries the documented MsgSignature', () => {
  const r = G.reply;
  const crypto = new WechatCrypto({ token: G.token, encodingAESKey: G.encodingAESKey, appId: G.appId, random: () => Buffer.from(r.random16) });
  const envelope = parseReply(buildEncryptedReply(crypto, r.message, Number(r.timestamp), r.nonce));
  assert.deepEqual(envelope, { kind: 'encrypted', encrypt: r.encrypt, msgSignature: r.msgSignature, timeStamp: r.timestamp, nonce: r.nonce });
});

test('decryptReply checks MsgSignature before decrypting, and reports the key used', () => {
  const old = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
  const crypto = new WechatCrypto({ token: 'tok', encodingAESKey: G.encodingAESKey, previousEncodingAESKey: old, appId: G.appId });
  const reply = buildTextReply(TO, 'answer');
  const envelope = parseReply(buildEncryptedReply(crypto, reply, 1714112446, 'n<]]>once', { keyIndex: 1 }));
  assert.equal(envelope.kind, 'encrypted');
  if (envelope.kind !== 'encrypted') return;
  assert.equal(envelope.nonce, 'n<]]>once');
  assert.deepEqual(decryptReply(crypto, envelope), { xml: reply, keyIndex: 1 });
  assert.throws(
    () => decryptReply(crypto, { ...envelope, msgSignature: '0'.repeat(40) }),
    (e: unknown) => e instanceof WechatCryptoError && e.reason === 'signature',
  );
  assert.throws(() => decryptReply(crypto, { ...envelope, timeStamp: '1714112447' }), WechatCryptoError);
  assert.throws(() => buildEncryptedReply(crypto, reply, '17141<', 'n'), WechatReplyError);
});

test('a whole safe-mode exchange: envelope → verify → decrypt → parse → reply → encrypt → what the follower sees', () => {
  const crypto = new WechatCrypto({ token: 'tok', encodingAESKey: G.encodingAESKey, appId: G.appId });
  const inbound = '<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[o_1]]></FromUserName>' +
    '<CreateTime>1714112445</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[问]]></Content><MsgId>9007199254740993</MsgId></xml>';
  const encrypt = crypto.encrypt(inbound);
  const body = `<xml><ToUserName><![CDATA[gh_1]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`;
  const query = { timestamp: '1714112446', nonce: '12345', msg_signature: crypto.signature('1714112446', '12345', encrypt) };

  const envelope = parseEnvelope(Buffer.from(body));
  assert.equal(envelope.mode, 'safe');
  assert.ok(envelope.encrypt !== undefined && crypto.verifySignature(query.msg_signature, query.timestamp, query.nonce, envelope.encrypt));
  const { xml, keyIndex } = crypto.decryptDetailed(envelope.encrypt);
  const message = parseMessage(xml);
  assert.deepEqual(message.kind === 'text' && [message.content, message.msgId], ['问', '9007199254740993']);
  const answer = buildTextReply(replyAddress(message, 1714112447), '答 ]]> 完');
  const wire = buildEncryptedReply(crypto, answer, query.timestamp, query.nonce, { keyIndex });

  const seen = parseReply(wire);
  assert.equal(seen.kind, 'encrypted');
  if (seen.kind !== 'encrypted') return;
  const shown = parseReply(decryptReply(crypto, seen).xml);
  assert.deepEqual(withoutRaw(shown), { toUserName: 'o_1', fromUserName: 'gh_1', createTime: 1714112447, kind: 'text', content: '答 ]]> 完' });
});
