import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WechatCrypto, buildEncryptedReply, buildNewsReply, buildTextReply, computeSignature, parseEnvelope, parseMessage, replyAddress, type TextMessage } from '../../wechat/index.js';
import { SERVICE_UNAVAILABLE_NOTICE, sendAsFollower, startWechatSimulator, verifyServer, type WechatSimulator } from './index.js';
import { ApiClient } from './test-support/api-client.js';
import { startToyGateway, type ToyGateway, type ToyRequest } from './test-support/toy-gateway.js';

// Short enough to keep the test fast, long enough for a loaded 2-core machine to answer an immediate reply.
const TIMEOUT = 500;

describe('follower side: WeChat delivering to a gateway (reference §1–3)', () => {
  let sim: WechatSimulator;
  let crypto: WechatCrypto;
  const gateways: ToyGateway[] = [];
  before(async () => {
    sim = await startWechatSimulator();
    crypto = new WechatCrypto({ token: sim.account.token, encodingAESKey: sim.account.encodingAESKey, appId: sim.account.appId });
  });
  after(async () => {
    await Promise.all(gateways.map((g) => g.close()));
    await sim.close();
  });
  beforeEach(() => sim.reset());

  const gateway = async (answer: Parameters<typeof startToyGateway>[0]): Promise<ToyGateway> => {
    const g = await startToyGateway(answer);
    gateways.push(g);
    return g;
  };

  /** Opens a safe-mode callback as a gateway must: msg_signature, then decrypt (AppID checked), then parse. */
  const openSafe = (r: ToyRequest): TextMessage => {
    const env = parseEnvelope(r.body);
    assert.equal(env.mode, 'safe');
    const q = r.query;
    assert.ok(crypto.verifySignature(q.get('msg_signature'), q.get('timestamp') ?? '', q.get('nonce') ?? '', env.encrypt), 'msg_signature verifies');
    assert.ok(crypto.verifySignature(q.get('signature'), q.get('timestamp') ?? '', q.get('nonce') ?? ''), 'plain signature still valid');
    return parseMessage(crypto.decrypt(env.encrypt ?? '')) as TextMessage;
  };
  const textReplyTo = (m: TextMessage, content: string): string => buildTextReply(replyAddress(m, Math.floor(Date.now() / 1000)), content);

  test('a gateway that answers only on delivery 2: delivery 1 times out, the reply comes on delivery 2', async () => {
    const g = await gateway((r, i) => (i === 0 ? 'hang' : { body: textReplyTo(parseMessage(r.body) as TextMessage, '你好，我在') }));
    const view = await sendAsFollower({ gatewayUrl: g.url, account: sim.account, mode: 'plain', message: { type: 'text', content: '你好' }, timeoutMs: TIMEOUT, sim });
    assert.deepEqual(view.deliveries.map((d) => d.outcome), ['timeout', 'reply']);
    assert.equal(view.passive?.kind, 'text');
    assert.equal(view.passive?.kind === 'text' ? view.passive.content : '', '你好，我在');
    assert.equal(view.passive?.delivery, 2);
    assert.equal(view.invalidNotice, undefined);
    assert.equal(g.requests.length, 2);
    const [first, second] = g.requests;
    assert.equal(first?.body, second?.body, 'the identical body is re-delivered');
    assert.notEqual(first?.query.get('nonce'), second?.query.get('nonce'), 'fresh nonce per delivery');
  });

  test('three timeouts: three deliveries, then the invalid notice', async () => {
    const g = await gateway(() => 'hang');
    const view = await sendAsFollower({ gatewayUrl: g.url, account: sim.account, mode: 'plain', message: { type: 'text', content: 'hi' }, timeoutMs: 100 });
    assert.deepEqual(view.deliveries.map((d) => d.outcome), ['timeout', 'timeout', 'timeout']);
    assert.equal(view.invalidNotice, SERVICE_UNAVAILABLE_NOTICE);
    assert.equal(view.invalidNotice, '该公众号暂时无法提供服务，请稍后再试');
    const four = await sendAsFollower({ gatewayUrl: g.url, account: sim.account, mode: 'plain', message: { type: 'text', content: 'hi' }, timeoutMs: 50, deliveries: 4 });
    assert.equal(four.deliveries.length, 4, 'the delivery count is configurable');
  });

  test('a connection error is re-delivered like a timeout', async () => {
    const g = await gateway(() => ({ body: 'success' }));
    const url = g.url;
    await g.close();
    const view = await sendAsFollower({ gatewayUrl: url, account: sim.account, mode: 'plain', message: { type: 'text', content: 'hi' }, timeoutMs: TIMEOUT, deliveries: 2 });
    assert.deepEqual(view.deliveries.map((d) => d.outcome), ['error', 'error']);
    assert.equal(view.invalidNotice, SERVICE_UNAVAILABLE_NOTICE);
  });

  test('a gateway answering JSON shows the invalid notice (no retry)', async () => {
    const g = await gateway(() => ({ body: '{"reply":"hello"}', contentType: 'application/json' }));
    const view = await sendAsFollower({ gatewayUrl: g.url, account: sim.account, mode: 'plain', message: { type: 'text', content: 'hi' }, timeoutMs: TIMEOUT });
    assert.deepEqual(view.deliveries.map((d) => d.outcome), ['invalid']);
    assert.equal(view.invalidNotice, SERVICE_UNAVAILABLE_NOTICE);
    assert.equal(view.passive, undefined);
    assert.equal(g.requests.length, 1);
  });

  test('HTTP 500, plaintext reply in safe mode, and a 2049-byte text are invalid; success is silence', async () => {
    const cases: [string, (r: ToyRequest) => { status?: number; body: string }, 'invalid' | 'success', RegExp?][] = [
      ['500', () => ({ status: 500, body: '' }), 'invalid', /HTTP 500/],
      ['plaintext in safe mode', (r) => ({ body: textReplyTo(openSafe(r), 'hi') }), 'invalid', /plaintext reply in safe mode/],
      ['long text', (r) => ({ body: textReplyTo(openSafe(r), '字'.repeat(683)) }), 'invalid', /2049 bytes exceeds 2048/],
      ['success', () => ({ body: 'success' }), 'success'],
      ['empty', () => ({ body: '' }), 'success'],
    ];
    for (const [name, answer, outcome, reason] of cases) {
      const g = await gateway((r) => {
        const a = answer(r);
        // Encrypt the long text so that only its length is wrong.
        if (name === 'long text') return { body: buildEncryptedReply(crypto, a.body, Math.floor(Date.now() / 1000), r.query.get('nonce') ?? '') };
        return a;
      });
      const view = await sendAsFollower({ gatewayUrl: g.url, account: sim.account, mode: 'safe', message: { type: 'text', content: 'hi' }, timeoutMs: 1000 });
      assert.equal(view.deliveries[0]?.outcome, outcome, name);
      assert.equal(view.deliveries.length, 1, `${name}: an answer ends the deliveries`);
      if (reason) assert.match(view.deliveries[0]?.reason ?? '', reason, name);
      assert.equal(view.invalidNotice, outcome === 'invalid' ? SERVICE_UNAVAILABLE_NOTICE : undefined, name);
    }
  });

  test('safe mode round trip: WeChat headers and query, encrypted body, encrypted reply verified and decrypted', async () => {
    let received: TextMessage | undefined;
    const g = await gateway((r) => {
      received = openSafe(r);
      const reply = textReplyTo(received, `echo: ${received.content}`);
      return { body: buildEncryptedReply(crypto, reply, Math.floor(Date.now() / 1000), r.query.get('nonce') ?? '') };
    });
    const view = await sendAsFollower({ gatewayUrl: g.url, account: sim.account, mode: 'safe', message: { type: 'text', content: '安全模式 ]]> test' }, timeoutMs: 1000, sim });
    const r = g.requests[0];
    assert.ok(r);
    assert.deepEqual(r.queryOrder, ['signature', 'timestamp', 'nonce', 'openid', 'encrypt_type', 'msg_signature']);
    assert.equal(r.query.get('encrypt_type'), 'aes');
    assert.equal(r.query.get('openid'), view.openid);
    assert.equal(r.headers['user-agent'], 'Mozilla/4.0');
    assert.equal(r.headers['content-type'], 'text/xml');
    assert.equal(r.headers.pragma, 'no-cache');
    assert.equal(r.headers.connection, 'close');
    assert.match(r.body, /^<xml><ToUserName><!\[CDATA\[gh_[0-9a-f]{12}\]\]><\/ToUserName><Encrypt><!\[CDATA\[[A-Za-z0-9+/=]+\]\]><\/Encrypt><\/xml>$/);
    assert.equal(received?.content, '安全模式 ]]> test', 'CDATA-split content survives');
    assert.match(view.openid, /^o[A-Za-z0-9_-]{27}$/);
    assert.match(received?.msgId ?? '', /^\d{17,20}$/);
    assert.ok(BigInt(received?.msgId ?? '0') > 2n ** 53n, 'MsgId above 2^53');
    assert.equal(received?.msgId, view.msgId);
    assert.equal(view.passive?.kind === 'text' ? view.passive.content : '', 'echo: 安全模式 ]]> test');
  });

  test('a reply with a bad MsgSignature is invalid', async () => {
    const g = await gateway((r) => {
      const m = openSafe(r);
      const body = buildEncryptedReply(crypto, textReplyTo(m, 'x'), 1700000000, 'n').replace(/<MsgSignature><!\[CDATA\[[0-9a-f]{40}/, `<MsgSignature><![CDATA[${'0'.repeat(40)}`);
      return { body };
    });
    const view = await sendAsFollower({ gatewayUrl: g.url, account: sim.account, message: { type: 'text', content: 'hi' }, timeoutMs: 1000 });
    assert.equal(view.deliveries[0]?.outcome, 'invalid');
    assert.match(view.deliveries[0]?.reason ?? '', /MsgSignature/);
  });

  test('compatible mode sends the plaintext fields plus Encrypt and accepts a plain reply', async () => {
    const g = await gateway((r) => {
      const env = parseEnvelope(r.body);
      assert.equal(env.mode, 'compatible');
      assert.ok(crypto.verifySignature(r.query.get('msg_signature'), r.query.get('timestamp') ?? '', r.query.get('nonce') ?? '', env.encrypt));
      assert.equal(crypto.decrypt(env.encrypt ?? '').length > 0, true);
      return { body: textReplyTo(parseMessage(r.body) as TextMessage, 'plain is fine here') };
    });
    const view = await sendAsFollower({ gatewayUrl: g.url, account: sim.account, mode: 'compatible', message: { type: 'text', content: 'hi' }, timeoutMs: 1000 });
    assert.equal(view.deliveries[0]?.outcome, 'reply');
    assert.match(g.requests[0]?.body ?? '', /<MsgType><!\[CDATA\[text\]\]><\/MsgType>.*<Encrypt>/);
  });

  test('plain mode: signature only, 4 query parameters', async () => {
    const g = await gateway(() => ({ body: 'success' }));
    await sendAsFollower({ gatewayUrl: g.url, account: sim.account, mode: 'plain', message: { type: 'text', content: 'hi' } });
    const q = g.requests[0]?.query;
    assert.deepEqual(g.requests[0]?.queryOrder, ['signature', 'timestamp', 'nonce', 'openid']);
    assert.equal(q?.get('signature'), computeSignature(sim.account.token, q?.get('timestamp') ?? '', q?.get('nonce') ?? ''));
  });

  test('news replies to a text message may carry 1 article; to an event up to 8', async () => {
    const article = { title: 't', description: 'd', picUrl: 'http://mmbiz.qpic.cn/a.jpg', url: 'https://mp.weixin.qq.com/s/x' };
    const g = await gateway((r) => {
      const m = parseMessage(r.body);
      return { body: buildNewsReply(replyAddress(m, 1700000000), [article, article]) };
    });
    const toText = await sendAsFollower({ gatewayUrl: g.url, account: sim.account, mode: 'plain', message: { type: 'text', content: 'hi' } });
    assert.match(toText.deliveries[0]?.reason ?? '', /2 articles; at most 1/);
    const toEvent = await sendAsFollower({ gatewayUrl: g.url, account: sim.account, mode: 'plain', message: { type: 'event', event: 'CLICK', eventKey: 'news' } });
    assert.equal(toEvent.deliveries[0]?.outcome, 'reply');
  });

  test('with a simulator: the message opens the 客服 window; 客服 sent during the exchange reach the follower', async () => {
    const api = new ApiClient(sim);
    const token = await api.token();
    const g = await gateway(async (r) => {
      const m = openSafe(r);
      const sent = await api.post('/cgi-bin/message/custom/send', token, { touser: m.fromUserName, msgtype: 'text', text: { content: 'pushed while you waited' } });
      assert.equal(sent.errcode, 0);
      return { body: 'success' };
    });
    const view = await sendAsFollower({ gatewayUrl: g.url, account: sim.account, message: { type: 'text', content: 'long question' }, timeoutMs: 1000, sim, expectCustomerService: 1 });
    assert.equal(view.passive, undefined);
    assert.equal(view.invalidNotice, undefined);
    assert.deepEqual(view.customerService.map((m) => [m.text, m.duringDelivery]), [['pushed while you waited', 1]]);
    assert.equal(sim.followers().find((f) => f.openid === view.openid)?.window.remaining, 4);
  });

  test('a follower image is stored in the simulator; the gateway can download it by MediaId and PicUrl', async () => {
    const api = new ApiClient(sim);
    const token = await api.token();
    const photo = Buffer.from('pretend this is a jpeg');
    let downloaded = '';
    const g = await gateway(async (r) => {
      const m = parseMessage(r.body);
      assert.equal(m.kind, 'image');
      if (m.kind !== 'image') return { body: '' };
      const res = await api.raw('/cgi-bin/media/get', { access_token: token, media_id: m.mediaId });
      downloaded = Buffer.from(await res.arrayBuffer()).toString();
      assert.equal(await (await fetch(m.picUrl)).text(), downloaded);
      return { body: 'success' };
    });
    await sendAsFollower({ gatewayUrl: g.url, account: sim.account, mode: 'plain', message: { type: 'image', data: photo, filename: 'p.jpg' }, sim });
    assert.equal(downloaded, 'pretend this is a jpeg');
  });

  test('a reply naming a media id the account does not have is invalid (linked simulator)', async () => {
    const g = await gateway((r) => {
      const m = parseMessage(r.body);
      return { body: `<xml><ToUserName><![CDATA[${m.fromUserName}]]></ToUserName><FromUserName><![CDATA[${m.toUserName}]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[image]]></MsgType><Image><MediaId><![CDATA[missing]]></MediaId></Image></xml>` };
    });
    const view = await sendAsFollower({ gatewayUrl: g.url, account: sim.account, mode: 'plain', message: { type: 'text', content: 'pic please' }, sim });
    assert.match(view.deliveries[0]?.reason ?? '', /missing is not a media id/);
  });

  test('subscribe and unsubscribe events change the subscription and the window', async () => {
    const g = await gateway(() => ({ body: 'success' }));
    const follow = await sendAsFollower({ gatewayUrl: g.url, account: sim.account, mode: 'plain', message: { type: 'event', event: 'subscribe', eventKey: 'qrscene_42', ticket: 'T' }, sim });
    assert.match(g.requests[0]?.body ?? '', /<Event><!\[CDATA\[subscribe\]\]><\/Event><EventKey><!\[CDATA\[qrscene_42\]\]><\/EventKey><Ticket>/);
    assert.equal(follow.msgId, undefined, 'events carry no MsgId');
    const api = new ApiClient(sim);
    const info = await api.get('/cgi-bin/user/info', { access_token: await api.token(), openid: follow.openid, lang: 'zh_CN' });
    assert.deepEqual([info.subscribe, info.subscribe_scene, info.qr_scene], [1, 'ADD_SCENE_QR_CODE', 42]);
    assert.equal(sim.followers().find((f) => f.openid === follow.openid)?.window.remaining, 3);
    await sendAsFollower({ gatewayUrl: g.url, account: sim.account, mode: 'plain', openid: follow.openid, message: { type: 'event', event: 'unsubscribe' }, sim });
    assert.equal(sim.followers().find((f) => f.openid === follow.openid)?.subscribed, false);
  });

  test('linking a simulator by URL works through the /_sim/ API', async () => {
    const api = new ApiClient(sim);
    const token = await api.token();
    const g = await gateway(async (r) => {
      const m = parseMessage(r.body);
      await api.post('/cgi-bin/message/custom/send', token, { touser: m.fromUserName, msgtype: 'text', text: { content: 'over http' } });
      return { body: '' };
    });
    const view = await sendAsFollower({ gatewayUrl: g.url, account: sim.account, mode: 'plain', message: { type: 'text', content: 'x' }, sim: sim.apiBase, expectCustomerService: 1 });
    assert.deepEqual(view.customerService.map((m) => m.text), ['over http']);
  });

  test('verifyServer: a gateway that checks the signature and echoes echostr passes; one that echoes JSON fails', async () => {
    const good = await gateway((r) => {
      const q = r.query;
      const ok = q.get('signature') === computeSignature(sim.account.token, q.get('timestamp') ?? '', q.get('nonce') ?? '');
      return ok ? { body: q.get('echostr') ?? '', contentType: 'text/plain' } : { status: 403, body: 'bad' };
    });
    const result = await verifyServer(good.url, sim.account);
    assert.equal(result.ok, true);
    assert.equal(good.requests[0]?.method, 'GET');
    assert.deepEqual(good.requests[0]?.queryOrder, ['signature', 'timestamp', 'nonce', 'echostr']);
    assert.equal((await verifyServer(good.url, { token: 'wrongToken' })).ok, false);
    const json = await gateway((r) => ({ body: JSON.stringify(r.query.get('echostr')) }));
    assert.equal((await verifyServer(json.url, sim.account)).ok, false);
  });
});
