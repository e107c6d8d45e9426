import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startWechatSimulator, type WechatSimulator } from './index.js';
import { ApiClient, RID_SUFFIX, manualClock } from './test-support/api-client.js';

const HOUR = 3600_000;

describe('客服 messages (reference §4)', () => {
  const clock = manualClock();
  let sim: WechatSimulator;
  let api: ApiClient;
  let token: string;
  before(async () => {
    sim = await startWechatSimulator({ now: clock.now });
    api = new ApiClient(sim);
  });
  after(() => sim.close());
  beforeEach(async () => {
    sim.reset();
    token = await api.token();
  });

  const sendText = (touser: string, content = '你好'): Promise<{ errcode?: number; errmsg?: string }> =>
    api.post('/cgi-bin/message/custom/send', token, { touser, msgtype: 'text', text: { content } });

  test('a user message opens a 48 h window (45015 before and after it)', async () => {
    const openid = sim.addFollower();
    const closed = await sendText(openid);
    assert.equal(closed.errcode, 45015);
    assert.match(closed.errmsg ?? '', /^response out of time limit or subscription is canceled rid: /);
    sim.interact(openid, 'message');
    assert.deepEqual(await sendText(openid), { errcode: 0, errmsg: 'ok' });
    sim.advanceClock(48 * HOUR - 1000);
    token = await api.token(); // the first one expired long ago
    assert.equal((await sendText(openid)).errcode, 0);
    sim.advanceClock(1000);
    assert.equal((await sendText(openid)).errcode, 45015);
    assert.equal(sim.received(openid).length, 2);
  });

  test('5 messages per user message, then 45047; the next user message resets the quota', async () => {
    const openid = sim.addFollower();
    sim.interact(openid, 'message');
    for (let i = 1; i <= 5; i++) assert.equal((await sendText(openid, `part ${i}`)).errcode, 0, `message ${i}`);
    const sixth = await sendText(openid, 'part 6');
    assert.equal(sixth.errcode, 45047);
    assert.match(sixth.errmsg ?? '', /^out of response count limit rid: /);
    sim.advanceClock(HOUR);
    sim.interact(openid, 'message');
    for (let i = 1; i <= 5; i++) assert.equal((await sendText(openid)).errcode, 0);
    assert.equal((await sendText(openid)).errcode, 45047, 'the quota is reset to 5, not added to');
    assert.deepEqual(sim.received(openid).slice(0, 5).map((m) => m.text), ['part 1', 'part 2', 'part 3', 'part 4', 'part 5']);
  });

  test('click, follow and scan open 3 sends for one minute', async () => {
    for (const trigger of ['click', 'subscribe', 'scan'] as const) {
      const openid = sim.addFollower();
      sim.interact(openid, trigger);
      for (let i = 0; i < 3; i++) assert.equal((await sendText(openid)).errcode, 0, `${trigger} send ${i + 1}`);
      assert.equal((await sendText(openid)).errcode, 45047, `${trigger}: 4th send`);
      const later = sim.addFollower();
      sim.interact(later, trigger);
      sim.advanceClock(60_000);
      assert.equal((await sendText(later)).errcode, 45015, `${trigger}: window over after 1 min`);
    }
  });

  test('an unsubscribed follower gets 45015; an unknown openid 40003', async () => {
    const openid = sim.addFollower();
    sim.interact(openid, 'message');
    sim.interact(openid, 'unsubscribe');
    assert.equal((await sendText(openid)).errcode, 45015);
    assert.equal((await sendText('oUnknownFollower000000000000')).errcode, 40003);
    const other = sim.addAccount();
    const foreign = sim.addFollower({ appId: other.appId });
    assert.equal((await sendText(foreign)).errcode, 40003, "another account's follower is not ours");
  });

  test('an unverified account gets 48001 for send and typing', async () => {
    const openid = sim.addFollower();
    sim.interact(openid, 'message');
    sim.setCapability(sim.account.appId, { verified: false });
    assert.equal(sim.account.verified, false);
    const r = await sendText(openid);
    assert.equal(r.errcode, 48001);
    assert.match(r.errmsg ?? '', /^api unauthorized rid: /);
    assert.equal((await api.post('/cgi-bin/message/custom/typing', token, { touser: openid, command: 'Typing' })).errcode, 48001);
    assert.equal(sim.received(openid).length, 0);
  });

  test('content validation: 45002 text over 2048 bytes, 44004 empty, 45008 news with 2 articles, 40008 unknown type', async () => {
    const openid = sim.addFollower();
    sim.interact(openid, 'message');
    assert.equal((await sendText(openid, '字'.repeat(683))).errcode, 45002, '683 CJK chars = 2049 bytes');
    assert.equal((await sendText(openid, '字'.repeat(682) + 'ab')).errcode, 0, '2048 bytes is fine');
    assert.equal((await sendText(openid, '')).errcode, 44004);
    const article = { title: 't', description: 'd', url: 'https://example.com', picurl: 'https://example.com/a.jpg' };
    const two = await api.post('/cgi-bin/message/custom/send', token, { touser: openid, msgtype: 'news', news: { articles: [article, article] } });
    assert.equal(two.errcode, 45008);
    assert.match(two.errmsg ?? '', RID_SUFFIX);
    assert.equal((await api.post('/cgi-bin/message/custom/send', token, { touser: openid, msgtype: 'news', news: { articles: [article] } })).errcode, 0);
    assert.equal((await api.post('/cgi-bin/message/custom/send', token, { touser: openid, msgtype: 'mpnews', mpnews: { media_id: 'x' } })).errcode, 40008);
    assert.equal((await api.post('/cgi-bin/message/custom/send', token, '{"touser":')).errcode, 47001);
  });

  test('every msgtype of §4 is accepted with valid ids; unknown media ids answer 40007', async () => {
    const openid = sim.addFollower();
    sim.interact(openid, 'message');
    const up = async (type: string, filename: string): Promise<string> => {
      const r = await api.upload('/cgi-bin/media/upload', token, { type }, { filename, bytes: Buffer.alloc(64, 1) });
      return (r.media_id ?? r.thumb_media_id) as string;
    };
    const image = await up('image', 'a.jpg');
    const voice = await up('voice', 'a.amr');
    const video = await up('video', 'a.mp4');
    const thumb = await up('thumb', 't.jpg');
    const bodies: Record<string, unknown>[] = [
      { msgtype: 'image', image: { media_id: image } },
      { msgtype: 'voice', voice: { media_id: voice } },
      { msgtype: 'video', video: { media_id: video, thumb_media_id: thumb, title: 't', description: 'd' } },
      { msgtype: 'music', music: { title: 't', description: 'd', musicurl: 'http://m', hqmusicurl: 'http://h', thumb_media_id: thumb } },
      { msgtype: 'msgmenu', msgmenu: { head_content: '您对本次服务是否满意呢? ', list: [{ id: '101', content: '满意' }, { id: '102', content: '不满意' }], tail_content: '欢迎再次光临' } },
      { msgtype: 'wxcard', wxcard: { card_id: 'pXXXX' } },
      { msgtype: 'miniprogrampage', miniprogrampage: { title: 't', appid: 'wx1234567890abcdef', pagepath: 'pages/index', thumb_media_id: thumb } },
    ];
    for (const b of bodies) {
      // each body is its own user turn, so the 5-message quota does not interfere
      sim.interact(openid, 'message');
      const r = await api.post('/cgi-bin/message/custom/send', token, { touser: openid, ...b });
      assert.equal(r.errcode, 0, `${String(b.msgtype)}: ${JSON.stringify(r)}`);
    }
    assert.deepEqual(sim.received(openid).map((m) => m.msgtype), bodies.map((b) => b.msgtype));
    assert.equal((await api.post('/cgi-bin/message/custom/send', token, { touser: openid, msgtype: 'image', image: { media_id: 'nope' } })).errcode, 40007);
    assert.equal((await api.post('/cgi-bin/message/custom/send', token, { touser: openid, msgtype: 'voice', voice: { media_id: image } })).errcode, 40007, 'an image id is not a voice');
    assert.equal((await api.post('/cgi-bin/message/custom/send', token, { touser: openid, msgtype: 'mpnewsarticle', mpnewsarticle: { article_id: 'none' } })).errcode, 40007);
  });

  test('\\uXXXX escapes of Chinese are stored literally, as WeChat does', async () => {
    const openid = sim.addFollower();
    sim.interact(openid, 'message');
    const r = await api.post('/cgi-bin/message/custom/send', token, '{"touser":"' + openid + '","msgtype":"text","text":{"content":"\\u4f60\\u597d"}}');
    assert.equal(r.errcode, 0);
    assert.equal(sim.received(openid)[0]?.text, '\\u4f60\\u597d');
  });

  test('typing: 45072 bad command, 45080 no interaction in 30 s, 45081 already typing for 15 s; a sent message cancels it', async () => {
    const openid = sim.addFollower();
    const typing = (command: string): Promise<{ errcode?: number }> => api.post('/cgi-bin/message/custom/typing', token, { touser: openid, command });
    sim.interact(openid, 'message');
    assert.equal((await typing('typing')).errcode, 45072);
    assert.equal((await typing('Typing')).errcode, 0);
    assert.equal((await typing('Typing')).errcode, 45081);
    sim.advanceClock(14_000);
    assert.equal((await typing('Typing')).errcode, 45081, 'still typing at 14 s');
    sim.advanceClock(1000);
    assert.equal((await typing('Typing')).errcode, 0, 'typing lasts 15 s');
    assert.equal((await sendText(openid)).errcode, 0);
    sim.advanceClock(5000);
    assert.equal((await typing('Typing')).errcode, 0, 'the sent message cancelled typing');
    assert.equal((await typing('CancelTyping')).errcode, 0);
    sim.advanceClock(10_001); // 30.001 s after the interaction
    assert.equal((await typing('Typing')).errcode, 45080);
    sim.interact(openid, 'message');
    assert.equal((await typing('Typing')).errcode, 0);
  });

  test('typing outside any window is 45015', async () => {
    const openid = sim.addFollower();
    assert.equal((await api.post('/cgi-bin/message/custom/typing', token, { touser: openid, command: 'Typing' })).errcode, 45015);
  });

  test('waitForCustomerService resolves when the messages arrive and rejects on timeout', async () => {
    const openid = sim.addFollower();
    sim.interact(openid, 'message');
    const waiting = sim.waitForCustomerService(openid, 2, 2000);
    await sendText(openid, 'one');
    await sendText(openid, 'two');
    assert.deepEqual((await waiting).map((m) => m.text), ['one', 'two']);
    await assert.rejects(sim.waitForCustomerService(openid, 3, 50), /received 2 of 3/);
  });

  test('the inspection API shows what a follower received and drives interactions', async () => {
    const openid = sim.addFollower();
    const post = (path: string, body: unknown): Promise<Response> => fetch(`${sim.apiBase}${path}`, { method: 'POST', body: JSON.stringify(body) });
    const opened = (await (await post(`/_sim/followers/${openid}/interactions`, { trigger: 'message' })).json()) as { window: { open: boolean; remaining: number } };
    assert.deepEqual([opened.window.open, opened.window.remaining], [true, 5]);
    await sendText(openid, 'via http');
    const got = (await (await fetch(`${sim.apiBase}/_sim/followers/${openid}/received`)).json()) as { text: string }[];
    assert.deepEqual(got.map((m) => m.text), ['via http']);
    assert.equal((await post(`/_sim/followers/${openid}/interactions`, { trigger: 'poke' })).status, 400);
  });
});
