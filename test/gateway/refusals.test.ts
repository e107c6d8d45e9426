/**
 * Invariant 5: nothing unverified gets in. Each refused request gets a status that says why, makes no AI call
 * and leaves nothing in the store.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WechatCrypto } from '../../src/wechat/crypto.js';
import { computeMsgSignature, computeSignature } from '../../src/wechat/signature.js';
import { slowAnswerer, startBed, type Bed } from './support.js';

const OPENID = 'oRefusal00000000000000000001';

function textXml(ghId: string, content: string, msgId: string, createTime = Math.floor(Date.now() / 1000)): string {
  return (
    `<xml><ToUserName><![CDATA[${ghId}]]></ToUserName><FromUserName><![CDATA[${OPENID}]]></FromUserName>` +
    `<CreateTime>${createTime}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content>` +
    `<MsgId>${msgId}</MsgId></xml>`
  );
}

interface Signed {
  query: Record<string, string>;
  body: string;
}

/** A safe-mode callback exactly as WeChat signs it; `appId` lets a test seal it for another account. */
function safeCallback(bed: Bed, xml: string, o: { timestamp?: string; nonce?: string; appId?: string } = {}): Signed {
  const { account } = bed.sim;
  const crypto = new WechatCrypto({ token: account.token, encodingAESKey: account.encodingAESKey, appId: o.appId ?? account.appId });
  const encrypt = crypto.encrypt(xml);
  const timestamp = o.timestamp ?? String(Math.floor(Date.now() / 1000));
  const nonce = o.nonce ?? String(Math.floor(Math.random() * 1e9));
  return {
    query: {
      signature: computeSignature(account.token, timestamp, nonce),
      timestamp,
      nonce,
      openid: OPENID,
      encrypt_type: 'aes',
      msg_signature: computeMsgSignature(account.token, timestamp, nonce, encrypt),
    },
    body: `<xml><ToUserName><![CDATA[${account.ghId}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`,
  };
}

async function post(bed: Bed, signed: Signed, path = '/wechat/main'): Promise<{ status: number; text: string }> {
  const res = await fetch(`${bed.server.url}${path}?${new URLSearchParams(signed.query)}`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body: signed.body,
  });
  return { status: res.status, text: await res.text() };
}

test('refused requests: status says why, no AI call, nothing stored', async () => {
  const ai = slowAnswerer(1, '答');
  const bed = await startBed({ answerer: ai });
  try {
    const ghId = bed.sim.account.ghId;
    const good = safeCallback(bed, textXml(ghId, '你好', '9000000000000000001'));
    const cases: Array<[string, Signed, number, string?]> = [
      ['bad msg_signature', { ...good, query: { ...good.query, msg_signature: 'f'.repeat(40) } }, 401],
      ['tampered ciphertext', { ...good, body: good.body.replace(/<Encrypt><!\[CDATA\[(.)/, '<Encrypt><![CDATA[A') }, 401],
      ['wrong AppID inside the payload', safeCallback(bed, textXml(ghId, 'x', '9000000000000000002'), { appId: 'wx0000000000000000' }), 400],
      ['stale timestamp', safeCallback(bed, textXml(ghId, 'x', '9000000000000000003'), { timestamp: String(Math.floor(Date.now() / 1000) - 3600) }), 400],
      ['plaintext body on a safe-mode account', { query: { ...good.query }, body: textXml(ghId, 'x', '9000000000000000004') }, 400],
      ['DOCTYPE / entity bomb', { ...good, body: `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><xml><Encrypt>&lol2;</Encrypt></xml>` }, 400],
      ['1 MiB body', { ...good, body: `<xml><Encrypt><![CDATA[${'A'.repeat(1024 * 1024)}]]></Encrypt></xml>` }, 413],
      ['malformed XML', { ...good, body: '<xml><Encrypt>' }, 400],
      ['missing timestamp', { ...good, query: { ...good.query, timestamp: '' } }, 400],
    ];
    for (const [name, signed, status] of cases) {
      const res = await post(bed, signed);
      assert.equal(res.status, status, `${name}: ${res.text}`);
    }
    assert.equal((await post(bed, good, '/wechat/nosuch')).status, 404, 'unknown account');
    assert.deepEqual(ai.calls, [], 'no AI call');
    assert.deepEqual(bed.rows(), { kv: 0, queue: 0 }, 'nothing stored');

    // The same request is accepted, and answered.
    const ok = await post(bed, good);
    assert.equal(ok.status, 200);
    assert.match(ok.text, /<Encrypt>/);
    assert.deepEqual(ai.calls, ['你好']);
  } finally {
    await bed.close();
  }
});

test('replays: a repeated nonce with another message is refused; an exact repeat after the retry window too', async () => {
  const ai = slowAnswerer(1, '答');
  const bed = await startBed({ answerer: ai });
  try {
    const ghId = bed.sim.account.ghId;
    const first = safeCallback(bed, textXml(ghId, '一', '9100000000000000001'), { nonce: '12345' });
    assert.equal((await post(bed, first)).status, 200);
    const sameNonce = safeCallback(bed, textXml(ghId, '二', '9100000000000000002'), { nonce: '12345', timestamp: first.query.timestamp });
    const forged = await post(bed, sameNonce);
    assert.equal(forged.status, 400);
    assert.match(forged.text, /replayed/);
    // Within WeChat's retry window an identical request is a re-delivery: it attaches, it computes nothing.
    assert.equal((await post(bed, first)).status, 200);
    const window = (bed.config.delivery.attempts + 2) * bed.config.delivery.timeoutMs;
    await new Promise((r) => setTimeout(r, window + 50));
    const late = await post(bed, first);
    assert.equal(late.status, 400, late.text);
    assert.deepEqual(ai.calls, ['一'], 'one AI call in all');
  } finally {
    await bed.close();
  }
});

test('GET server verification echoes echostr only with a valid signature', async () => {
  const bed = await startBed({ answerer: slowAnswerer(1, '') });
  try {
    const { token } = bed.sim.account;
    const q = { timestamp: '1714036504', nonce: '1514711492', echostr: '4375120948345356249' };
    const good = await fetch(`${bed.server.url}/wechat/main?${new URLSearchParams({ ...q, signature: computeSignature(token, q.timestamp, q.nonce) })}`);
    assert.equal(good.status, 200);
    assert.equal(await good.text(), q.echostr);
    const bad = await fetch(`${bed.server.url}/wechat/main?${new URLSearchParams({ ...q, signature: '0'.repeat(40) })}`);
    assert.equal(bad.status, 401);
    assert.notEqual(await bad.text(), q.echostr);
  } finally {
    await bed.close();
  }
});
