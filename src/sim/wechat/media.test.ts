import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startWechatSimulator, type WechatSimulator } from './index.js';
import { ApiClient, RID_SUFFIX } from './test-support/api-client.js';

const MB = 1024 * 1024;
const bytes = (n: number): Buffer => Buffer.alloc(n, 7);

describe('temporary media, materials and uploadimg (reference §6)', () => {
  let sim: WechatSimulator;
  let api: ApiClient;
  let token: string;
  before(async () => {
    sim = await startWechatSimulator();
    api = new ApiClient(sim);
  });
  after(() => sim.close());
  beforeEach(async () => {
    sim.reset();
    token = await api.token();
  });

  const upload = (type: string, filename: string, size: number): ReturnType<ApiClient['upload']> =>
    api.upload('/cgi-bin/media/upload', token, { type }, { filename, bytes: bytes(size) });
  const addMaterial = (type: string, filename: string, size: number, fields: Record<string, string> = {}): ReturnType<ApiClient['upload']> =>
    api.upload('/cgi-bin/material/add_material', token, { type }, { filename, bytes: bytes(size) }, fields);

  test('media/upload answers type, media_id and created_at; thumbs under thumb_media_id', async () => {
    const image = await upload('image', 'cat.png', 1000);
    assert.deepEqual(Object.keys(image).sort(), ['created_at', 'media_id', 'type']);
    assert.equal(image.type, 'image');
    assert.match(image.media_id as string, /^[A-Za-z0-9_-]{64}$/);
    const thumb = await upload('thumb', 'cover.jpg', 1000);
    assert.deepEqual(Object.keys(thumb).sort(), ['created_at', 'thumb_media_id', 'type']);
  });

  test('temporary limits: image over 2 MB → 40006, voice over 2 MB → 40010, thumb over 64 KB → 40012, wrong format → 40005', async () => {
    assert.equal((await upload('image', 'ok.jpg', 2 * MB)).errcode, undefined);
    const big = await upload('image', 'big.jpg', 2 * MB + 1);
    assert.equal(big.errcode, 40006);
    assert.match(big.errmsg ?? '', /^invalid meida size rid: /, "WeChat's own typo");
    assert.equal((await upload('voice', 'long.mp3', 2 * MB + 1)).errcode, 40010);
    assert.equal((await upload('thumb', 'cover.jpg', 64 * 1024 + 1)).errcode, 40012);
    assert.equal((await upload('thumb', 'cover.png', 1000)).errcode, 40005, 'a PNG thumb is refused');
    assert.equal((await upload('voice', 'voice.wav', 1000)).errcode, 40005, 'temporary voice is AMR/MP3 only');
    assert.equal((await upload('video', 'clip', 1000)).errcode, 40005, 'no extension');
    assert.equal((await upload('gif', 'a.gif', 10)).errcode, 40004);
    assert.equal((await upload('image', 'empty.jpg', 0)).errcode, 44001);
  });

  test('media/get serves the bytes with Content-Disposition; video answers video_url; 40007 for an unknown id', async () => {
    const payload = Buffer.from('\x89PNG fake image bytes');
    const up = await api.upload('/cgi-bin/media/upload', token, { type: 'image' }, { filename: 'pic.png', bytes: payload });
    const res = await api.raw('/cgi-bin/media/get', { access_token: token, media_id: up.media_id as string });
    assert.equal(res.headers.get('content-type'), 'image/png');
    assert.equal(res.headers.get('content-disposition'), `attachment; filename="${String(up.media_id)}.png"`);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), payload);

    const video = await upload('video', 'clip.mp4', 500);
    const v = await api.get('/cgi-bin/media/get', { access_token: token, media_id: video.media_id as string });
    const fetched = await fetch(v.video_url as string);
    assert.equal((await fetched.arrayBuffer()).byteLength, 500);

    const missing = await api.raw('/cgi-bin/media/get', { access_token: token, media_id: 'nope' });
    assert.match(missing.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(((await missing.json()) as { errcode: number }).errcode, 40007);
  });

  test('temporary media expire after 3 days', async () => {
    const up = await upload('image', 'a.jpg', 10);
    sim.advanceClock(3 * 86_400_000);
    token = await api.token();
    assert.equal((await api.get('/cgi-bin/media/get', { access_token: token, media_id: up.media_id as string })).errcode, 40007);
  });

  test('media/get/jssdk is for verified accounts only', async () => {
    const voice = await upload('voice', 'v.amr', 100);
    const ok = await api.raw('/cgi-bin/media/get/jssdk', { access_token: token, media_id: voice.media_id as string });
    assert.equal(ok.headers.get('content-type'), 'audio/speex');
    sim.setCapability(sim.account.appId, { verified: false });
    assert.equal((await api.get('/cgi-bin/media/get/jssdk', { access_token: token, media_id: voice.media_id as string })).errcode, 48001);
  });

  test('uploadimg: jpg/png under 1 MB → an mmbiz.qpic.cn URL; 40005 other types, 40009 oversize', async () => {
    const r = await api.upload('/cgi-bin/media/uploadimg', token, {}, { filename: 'inline.png', bytes: bytes(1000) });
    assert.equal(r.errcode, 0);
    assert.match(r.url as string, /^http:\/\/mmbiz\.qpic\.cn\/sz_mmbiz_png\/[A-Za-z0-9_-]+\/0\?wx_fmt=png$/);
    assert.equal(sim.file(r.url as string)?.bytes.length, 1000, 'the simulator can serve it back');
    const path = new URL(r.url as string).pathname;
    assert.equal((await fetch(`${sim.apiBase}/_sim/mmbiz${path}`)).status, 200);
    assert.equal((await api.upload('/cgi-bin/media/uploadimg', token, {}, { filename: 'anim.gif', bytes: bytes(10) })).errcode, 40005);
    const big = await api.upload('/cgi-bin/media/uploadimg', token, {}, { filename: 'big.jpg', bytes: bytes(MB) });
    assert.equal(big.errcode, 40009);
    assert.match(big.errmsg ?? '', /^invalid image size rid: /);
  });

  test('add_material: image gets a url; image over 10 MB → 40009; video needs its description', async () => {
    const img = await addMaterial('image', 'photo.jpg', 3 * MB);
    assert.deepEqual(Object.keys(img).sort(), ['media_id', 'url']);
    assert.match(img.url as string, /^http:\/\/mmbiz\.qpic\.cn\//);
    assert.match(img.media_id as string, /^[A-Za-z0-9_-]{43}$/);
    const huge = await addMaterial('image', 'huge.jpg', 10 * MB + 1);
    assert.equal(huge.errcode, 40009);
    assert.match(huge.errmsg ?? '', RID_SUFFIX);
    assert.equal((await addMaterial('image', 'doc.pdf', 100)).errcode, 40005);
    assert.equal((await addMaterial('voice', 'v.wma', 100)).errcode, undefined, 'materials accept wma');
    assert.equal((await addMaterial('video', 'clip.mp4', 100)).errcode, 47001, 'no description');
    const video = await addMaterial('video', 'clip.mp4', 100, { description: JSON.stringify({ title: '标题', introduction: '介绍' }) });
    assert.deepEqual(Object.keys(video), ['media_id']);
    const got = await api.post('/cgi-bin/material/get_material', token, { media_id: video.media_id });
    assert.equal(got.title, '标题');
    assert.equal(got.description, '介绍');
    assert.equal((await fetch(got.down_url as string)).status, 200);
    const thumb = await addMaterial('thumb', 'cover.jpg', 60 * 1024);
    assert.equal(typeof thumb.media_id, 'string');
  });

  test('get_material serves bytes; get_materialcount and batchget_material list; del_material removes', async () => {
    const a = await addMaterial('image', 'a.jpg', 10);
    const b = await addMaterial('image', 'b.png', 20);
    await addMaterial('voice', 'v.mp3', 30);
    const raw = await fetch(`${sim.apiBase}/cgi-bin/material/get_material?access_token=${token}`, { method: 'POST', body: JSON.stringify({ media_id: a.media_id }) });
    assert.equal((await raw.arrayBuffer()).byteLength, 10);
    assert.deepEqual(await api.get('/cgi-bin/material/get_materialcount', { access_token: token }), { voice_count: 1, video_count: 0, image_count: 2, news_count: 0 });
    const page = await api.post('/cgi-bin/material/batchget_material', token, { type: 'image', offset: 0, count: 20 });
    assert.equal(page.total_count, 2);
    const items = page.item as { media_id: string; name: string; url: string; update_time: number }[];
    assert.deepEqual(items.map((i) => i.name), ['b.png', 'a.jpg'], 'newest first');
    assert.equal((await api.post('/cgi-bin/material/batchget_material', token, { type: 'pdf', offset: 0, count: 1 })).errcode, 40004);
    assert.equal((await api.post('/cgi-bin/material/batchget_material', token, { type: 'image', offset: 0, count: 21 })).errcode, 47001);
    assert.deepEqual(await api.post('/cgi-bin/material/del_material', token, { media_id: b.media_id }), { errcode: 0, errmsg: 'ok' });
    assert.equal((await api.post('/cgi-bin/material/del_material', token, { media_id: b.media_id })).errcode, 40007);
    assert.equal((await api.post('/cgi-bin/material/get_material', token, { media_id: 'nope' })).errcode, 40007);
  });

  test('a material used by the menu cannot be deleted (48005)', async () => {
    const img = await addMaterial('image', 'menu.jpg', 10);
    const menu = { button: [{ type: 'media_id', name: '图片', media_id: img.media_id }] };
    assert.equal((await api.post('/cgi-bin/menu/create', token, menu)).errcode, 0);
    assert.equal((await api.post('/cgi-bin/material/del_material', token, { media_id: img.media_id })).errcode, 48005);
  });

  test('material totals are capped (45001 once full)', async () => {
    const small = await startWechatSimulator({ materialLimits: { video: 1 } });
    try {
      const c = new ApiClient(small);
      const t = await c.token();
      const description = JSON.stringify({ title: 'x', introduction: '' });
      assert.equal(typeof (await c.upload('/cgi-bin/material/add_material', t, { type: 'video' }, { filename: 'a.mp4', bytes: bytes(5) }, { description })).media_id, 'string');
      assert.equal((await c.upload('/cgi-bin/material/add_material', t, { type: 'video' }, { filename: 'b.mp4', bytes: bytes(5) }, { description })).errcode, 45001);
    } finally {
      await small.close();
    }
  });

  test('a follower-sent file is temporary media the gateway can download', async () => {
    const stored = sim.storeFollowerMedia({ kind: 'image', bytes: Buffer.from('jpeg bytes'), filename: 'photo.jpg' });
    const res = await api.raw('/cgi-bin/media/get', { access_token: token, media_id: stored.mediaId });
    assert.equal(Buffer.from(await res.arrayBuffer()).toString(), 'jpeg bytes');
    assert.equal(await (await fetch(stored.url)).text(), 'jpeg bytes');
  });
});
