import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WechatCrypto, parseEnvelope, parseMessage } from '../../wechat/index.js';
import { startWechatSimulator, type WechatSimulator } from './index.js';
import { ApiClient, manualClock } from './test-support/api-client.js';
import { startToyGateway, type ToyGateway } from './test-support/toy-gateway.js';

describe('drafts and publishing (reference §7)', () => {
  const clock = manualClock();
  let sim: WechatSimulator;
  let api: ApiClient;
  let token: string;
  let thumb: string;
  let callback: ToyGateway;
  before(async () => {
    callback = await startToyGateway(() => ({ body: 'success' }));
    sim = await startWechatSimulator({ now: clock.now, publishDelayMs: 60_000, callbackUrl: callback.url });
    api = new ApiClient(sim);
  });
  after(async () => {
    await sim.close();
    await callback.close();
  });
  beforeEach(async () => {
    sim.reset();
    callback.requests.length = 0;
    token = await api.token();
    const t = await api.upload('/cgi-bin/material/add_material', token, { type: 'thumb' }, { filename: 'cover.jpg', bytes: Buffer.alloc(1000, 1) });
    thumb = t.media_id as string;
  });

  const article = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
    title: '标题',
    author: '作者',
    content: '<p>正文 <img src="http://mmbiz.qpic.cn/sz_mmbiz_png/abc/0?wx_fmt=png"> <img src="https://example.com/x.png"></p><script>alert(1)</script>',
    thumb_media_id: thumb,
    need_open_comment: 1,
    ...over,
  });
  const addDraft = async (articles: Record<string, unknown>[] = [article()]): Promise<string> => {
    const r = await api.post('/cgi-bin/draft/add', token, { articles });
    assert.deepEqual(Object.keys(r), ['media_id'], JSON.stringify(r));
    return r.media_id as string;
  };

  test('draft CRUD: add, get (with preview url), update by 0-based index, count, batchget, delete', async () => {
    const id = await addDraft([article(), article({ title: '第二篇' })]);
    const got = await api.post('/cgi-bin/draft/get', token, { media_id: id });
    const items = got.news_item as Record<string, unknown>[];
    assert.equal(items.length, 2);
    assert.equal(items[0]?.title, '标题');
    assert.match(items[0]?.url as string, /^http:\/\/mp\.weixin\.qq\.com\/s\?__biz=/);
    assert.equal(items[0]?.thumb_media_id, thumb);
    assert.match(items[0]?.thumb_url as string, /^http:\/\/mmbiz\.qpic\.cn\//);
    assert.equal(items[0]?.digest, '', 'multi-article drafts have no digest');
    assert.doesNotMatch(items[0]?.content as string, /script|example\.com/, 'scripts and foreign images are filtered');
    assert.match(items[0]?.content as string, /mmbiz\.qpic\.cn/);

    assert.deepEqual(await api.post('/cgi-bin/draft/update', token, { media_id: id, index: 1, articles: article({ title: '改过' }) }), { errcode: 0, errmsg: 'ok' });
    const updated = (await api.post('/cgi-bin/draft/get', token, { media_id: id })).news_item as Record<string, unknown>[];
    assert.equal(updated[1]?.title, '改过');
    const badIndex = await api.post('/cgi-bin/draft/update', token, { media_id: id, index: 2, articles: article() });
    assert.equal(badIndex.errcode, 40114);
    assert.match(badIndex.errmsg ?? '', /^invalid index value rid: /);

    await addDraft();
    assert.deepEqual(await api.get('/cgi-bin/draft/count', { access_token: token }), { total_count: 2 });
    const page = await api.post('/cgi-bin/draft/batchget', token, { offset: 0, count: 20, no_content: 1 });
    assert.equal(page.total_count, 2);
    assert.equal(page.item_count, 2);
    const first = (page.item as { content: { news_item: Record<string, unknown>[] } }[])[0];
    assert.equal(first?.content.news_item[0]?.content, undefined, 'no_content omits content');

    assert.deepEqual(await api.post('/cgi-bin/draft/delete', token, { media_id: id }), { errcode: 0, errmsg: 'ok' });
    assert.equal((await api.post('/cgi-bin/draft/get', token, { media_id: id })).errcode, 40007);
    assert.equal((await api.post('/cgi-bin/draft/delete', token, { media_id: id })).errcode, 40007);
  });

  test('a single-article draft gets the first 54 characters of the body as default digest', async () => {
    const id = await addDraft([article({ content: `<p>${'字'.repeat(60)}</p>` })]);
    const item = ((await api.post('/cgi-bin/draft/get', token, { media_id: id })).news_item as Record<string, unknown>[])[0];
    assert.equal(item?.digest, '字'.repeat(54));
  });

  test('draft validation: 45003 title, 45110 author, 45004 digest, 40007 thumb, 44003 empty, 45002 content, 41039 source url', async () => {
    const code = async (a: Record<string, unknown>): Promise<number | undefined> => (await api.post('/cgi-bin/draft/add', token, { articles: [a] })).errcode;
    assert.equal(await code(article({ title: '字'.repeat(32) })), undefined, '32 characters is the limit, not bytes');
    assert.equal(await code(article({ title: '字'.repeat(33) })), 45003);
    assert.equal(await code(article({ author: 'a'.repeat(17) })), 45110);
    assert.equal(await code(article({ digest: 'd'.repeat(129) })), 45004);
    assert.equal(await code(article({ thumb_media_id: 'nope' })), 40007);
    assert.equal(await code(article({ thumb_media_id: undefined })), 40007, 'news needs a cover');
    assert.equal(await code(article({ content: 'x'.repeat(20_000) })), 45002);
    assert.equal(await code(article({ content: '' })), 44004);
    assert.equal(await code(article({ content_source_url: 'not a url' })), 41039);
    assert.equal(await code(article({ pic_crop_235_1: '0.1_0_1_2' })), 47001);
    assert.equal((await api.post('/cgi-bin/draft/add', token, { articles: [] })).errcode, 44003);
    const temp = await api.upload('/cgi-bin/media/upload', token, { type: 'thumb' }, { filename: 't.jpg', bytes: Buffer.alloc(10, 1) });
    assert.equal(await code(article({ thumb_media_id: temp.thumb_media_id })), 40007, 'a temporary thumb is not a permanent material');
  });

  test('newspic drafts take image_info from image materials', async () => {
    const img = await api.upload('/cgi-bin/material/add_material', token, { type: 'image' }, { filename: 'p.jpg', bytes: Buffer.alloc(10, 1) });
    const ok = await api.post('/cgi-bin/draft/add', token, { articles: [{ article_type: 'newspic', title: '贴图', content: '纯文本', image_info: { image_list: [{ image_media_id: img.media_id }] } }] });
    assert.equal(typeof ok.media_id, 'string');
    const bad = await api.post('/cgi-bin/draft/add', token, { articles: [{ article_type: 'newspic', title: '贴图', content: '纯文本', image_info: { image_list: [{ image_media_id: 'nope' }] } }] });
    assert.equal(bad.errcode, 40007);
  });

  test('freepublish: publishing (1) until the delay passes, then success (0) with article_id; the draft leaves the box', async () => {
    const id = await addDraft();
    const submit = await api.post('/cgi-bin/freepublish/submit', token, { media_id: id });
    assert.equal(submit.errcode, 0);
    assert.match(submit.publish_id as string, /^\d+$/);
    assert.equal(typeof submit.msg_data_id, 'number');
    const status = (): Promise<Record<string, unknown>> => api.post('/cgi-bin/freepublish/get', token, { publish_id: submit.publish_id });
    assert.deepEqual(await status(), { publish_id: submit.publish_id, publish_status: 1, fail_idx: [] });
    sim.advanceClock(59_000);
    assert.equal((await status()).publish_status, 1);
    sim.advanceClock(1000);
    const done = await status();
    assert.equal(done.publish_status, 0);
    assert.match(done.article_id as string, /^[A-Za-z0-9_-]{43}$/);
    const detail = done.article_detail as { count: number; item: { idx: number; article_url: string }[] };
    assert.equal(detail.count, 1);
    assert.deepEqual(detail.item.map((i) => i.idx), [1]);
    assert.match(detail.item[0]?.article_url ?? '', /^http:\/\/mp\.weixin\.qq\.com\/s\//);
    assert.deepEqual(await api.get('/cgi-bin/draft/count', { access_token: token }), { total_count: 0 });

    const art = await api.post('/cgi-bin/freepublish/getarticle', token, { article_id: done.article_id });
    const items = art.news_item as Record<string, unknown>[];
    assert.equal(items[0]?.title, '标题');
    assert.equal(items[0]?.is_deleted, false);
    const list = await api.post('/cgi-bin/freepublish/batchget', token, { offset: 0, count: 10, no_content: 0 });
    assert.equal(list.total_count, 1);
    assert.equal((await api.post('/cgi-bin/freepublish/getarticle', token, { article_id: 'nope' })).errcode, 53600);
  });

  test('PUBLISHJOBFINISH reaches the callback URL signed and encrypted, and parses as the event', async () => {
    const id = await addDraft([article(), article({ title: '二' })]);
    await api.post('/cgi-bin/freepublish/submit', token, { media_id: id });
    assert.equal(callback.requests.length, 0, 'nothing before the job ends');
    sim.advanceClock(60_000);
    sim.finishPublishing();
    await sim.callbacksSettled();
    assert.equal(callback.requests.length, 1);
    const r = callback.requests[0];
    assert.ok(r);
    const crypto = new WechatCrypto({ token: sim.account.token, encodingAESKey: sim.account.encodingAESKey, appId: sim.account.appId });
    const env = parseEnvelope(r.body);
    assert.equal(env.mode, 'safe');
    assert.equal(env.toUserName, sim.account.ghId);
    assert.ok(crypto.verifySignature(r.query.get('msg_signature'), r.query.get('timestamp') ?? '', r.query.get('nonce') ?? '', env.encrypt));
    const event = parseMessage(crypto.decrypt(env.encrypt ?? ''));
    assert.equal(event.kind, 'event');
    if (event.kind !== 'event' || event.event !== 'publishjobfinish') throw new Error(`unexpected ${JSON.stringify(event)}`);
    assert.equal(event.toUserName, sim.account.ghId);
    assert.equal(event.publishStatus, 0);
    assert.match(event.articleId ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(event.articles.map((a) => a.idx), [1, 2]);
    assert.deepEqual(event.failIdx, []);
    const recorded = sim.callbacks()[0];
    assert.equal(recorded?.event, 'PUBLISHJOBFINISH');
    assert.equal(recorded?.deliveries[0]?.body, 'success');
  });

  test('a configured failure ends in status 2 with fail_idx, in freepublish/get and in the event; the draft stays', async () => {
    sim.setCapability(sim.account.appId, { publishStatus: 2, publishFailIdx: [2] });
    sim.setCallback(sim.account.appId, { mode: 'plain' });
    const id = await addDraft([article(), article()]);
    const submit = await api.post('/cgi-bin/freepublish/submit', token, { media_id: id });
    sim.advanceClock(60_000);
    const got = await api.post('/cgi-bin/freepublish/get', token, { publish_id: submit.publish_id });
    assert.deepEqual(got, { publish_id: submit.publish_id, publish_status: 2, fail_idx: [2] });
    await sim.callbacksSettled();
    const body = callback.requests[0]?.body ?? '';
    assert.match(body, /<publish_status>2<\/publish_status><fail_idx>2<\/fail_idx><\/PublishEventInfo>/);
    assert.deepEqual(await api.get('/cgi-bin/draft/count', { access_token: token }), { total_count: 1 });
  });

  test('without moving the clock, the job ends after publishDelayMs of real time and the event is sent', async () => {
    const quick = await startWechatSimulator({ publishDelayMs: 30, callbackUrl: callback.url });
    try {
      const c = new ApiClient(quick);
      const t = await c.token();
      const cover = await c.upload('/cgi-bin/material/add_material', t, { type: 'thumb' }, { filename: 'c.jpg', bytes: Buffer.alloc(10, 1) });
      const draft = await c.post('/cgi-bin/draft/add', t, { articles: [{ title: 't', content: 'c', thumb_media_id: cover.media_id }] });
      const submit = await c.post('/cgi-bin/freepublish/submit', t, { media_id: draft.media_id });
      const deadline = Date.now() + 3000;
      while (quick.callbacks().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await quick.callbacksSettled();
      assert.equal(quick.callbacks()[0]?.deliveries[0]?.status, 200);
      assert.equal((await c.post('/cgi-bin/freepublish/get', t, { publish_id: submit.publish_id })).publish_status, 0);
    } finally {
      await quick.close();
    }
  });

  test('freepublish/delete takes a 1-based index; deleting every article turns the status to 5', async () => {
    const id = await addDraft([article(), article()]);
    const submit = await api.post('/cgi-bin/freepublish/submit', token, { media_id: id });
    sim.advanceClock(60_000);
    const done = await api.post('/cgi-bin/freepublish/get', token, { publish_id: submit.publish_id });
    const articleId = done.article_id as string;
    assert.equal((await api.post('/cgi-bin/freepublish/delete', token, { article_id: articleId, index: 3 })).errcode, 40114);
    assert.equal((await api.post('/cgi-bin/freepublish/delete', token, { article_id: articleId, index: 1 })).errcode, 0);
    const items = (await api.post('/cgi-bin/freepublish/getarticle', token, { article_id: articleId })).news_item as { is_deleted: boolean }[];
    assert.deepEqual(items.map((i) => i.is_deleted), [true, false]);
    assert.equal((await api.post('/cgi-bin/freepublish/delete', token, { article_id: articleId, index: 2 })).errcode, 0);
    assert.equal((await api.post('/cgi-bin/freepublish/get', token, { publish_id: submit.publish_id })).publish_status, 5);
    assert.equal((await api.post('/cgi-bin/freepublish/delete', token, { article_id: 'nope' })).errcode, 53600);
  });

  test('unverified accounts cannot publish (48001); an unknown draft is 40007', async () => {
    const id = await addDraft();
    assert.equal((await api.post('/cgi-bin/freepublish/submit', token, { media_id: 'nope' })).errcode, 40007);
    sim.setCapability(sim.account.appId, { verified: false });
    assert.equal((await api.post('/cgi-bin/freepublish/submit', token, { media_id: id })).errcode, 48001);
  });
});
