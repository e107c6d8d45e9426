import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { ImageUploadCache, PublishWaitTimeoutError, articleImageKey, materialKey, waitForPublish } from '../../src/publisher/publish/index.js';
import { sha256Hex } from '../../src/publisher/publish/store-keys.js';
import { WeChatClient } from '../../src/wechat-api/index.js';
import { makeImage, startPublisherHarness, type PublisherHarness } from './support.js';

let h: PublisherHarness;
before(async () => {
  h = await startPublisherHarness({ accounts: [{}, {}], publishDelayMs: 60_000 });
});
after(async () => {
  await h.close();
});

const uploads = (appId: string, path: string): number => h.sim.calls({ appId, path }).filter((c) => c.errcode === 0).length;

test('article images are cached by sha256 per AppID: another account uploads its own copy', async () => {
  const [first, second] = h.sim.accounts();
  assert.ok(first && second);
  const other = new WeChatClient({ appId: second.appId, appSecret: second.appSecret, store: h.store, apiBase: h.sim.apiBase });
  const bytes = await makeImage({ width: 30, height: 30, format: 'png', color: '#abcdef' });
  const image = { source: './a.png', bytes, name: 'a.png' };

  const mine = new ImageUploadCache({ client: h.client, store: h.store });
  // the same bytes twice at once (one article using one picture twice) make one upload
  const [a, b] = await Promise.all([mine.articleImage(image), mine.articleImage({ ...image, source: './copy.png' })]);
  assert.equal(a.url, b.url);
  assert.equal(uploads(first.appId, '/cgi-bin/media/uploadimg'), 1);
  assert.equal(await h.store.get(articleImageKey(first.appId, sha256Hex(bytes))), a.url);

  const again = await new ImageUploadCache({ client: h.client, store: h.store }).articleImage(image);
  assert.deepEqual([again.uploaded, again.url], [false, a.url]);
  assert.equal(uploads(first.appId, '/cgi-bin/media/uploadimg'), 1);

  const theirs = await new ImageUploadCache({ client: other, store: h.store }).articleImage(image);
  assert.equal(theirs.uploaded, true);
  assert.notEqual(theirs.url, a.url);
  assert.equal(uploads(second.appId, '/cgi-bin/media/uploadimg'), 1);
});

test('an animated GIF in an article keeps its animation as image material; first-frame makes a still via uploadimg', async () => {
  // two 20×20 frames, white then black
  const pixels = Buffer.alloc(20 * 40 * 3);
  pixels.fill(255, 0, pixels.length / 2);
  const animated = await sharp(pixels, { raw: { width: 20, height: 40, channels: 3, pageHeight: 20 } }).gif({ loop: 0 }).toBuffer();
  assert.equal((await sharp(animated).metadata()).pages, 2);
  const gif = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#00ff00' } }).gif().toBuffer();

  const cache = new ImageUploadCache({ client: h.client, store: h.store });
  const kept = await cache.articleImage({ source: 'anim.gif', bytes: animated, name: 'anim.gif' });
  assert.equal(kept.via, 'material');
  assert.match(kept.url, /^http:\/\/mmbiz\.qpic\.cn\/sz_mmbiz_gif\//);
  const stored = h.sim.file(kept.url);
  assert.deepEqual(stored?.bytes, animated, 'the GIF went up byte for byte');
  assert.ok(await h.store.get(materialKey(h.client.appId, 'image', sha256Hex(animated))));

  const still = await new ImageUploadCache({ client: h.client, store: h.store, gif: 'first-frame' }).articleImage({ source: 'g.gif', bytes: gif, name: 'g.gif' });
  assert.equal(still.via, 'uploadimg');
  assert.match(still.note ?? '', /^GIF → (PNG|JPEG)$/);
  const stillAnimated = await new ImageUploadCache({ client: h.client, store: h.store, gif: 'first-frame' }).articleImage({ source: 'a.gif', bytes: animated, name: 'a.gif' });
  assert.match(stillAnimated.note ?? '', /\(first frame only\)$/);
});

test('forgetMaterial drops a cached cover so that the next use uploads it again', async () => {
  const cache = new ImageUploadCache({ client: h.client, store: h.store });
  const cover = { source: 'cover.jpg', bytes: await makeImage({ width: 30, height: 20, format: 'jpeg', color: '#010203' }), name: 'cover.jpg' };
  const first = await cache.material(cover, 'thumb');
  assert.equal((await cache.material(cover, 'thumb')).mediaId, first.mediaId);
  assert.equal(await cache.forgetMaterial(first.mediaId), true);
  assert.equal(await cache.forgetMaterial(first.mediaId), false);
  const again = await cache.material(cover, 'thumb');
  assert.equal(again.uploaded, true);
  assert.notEqual(again.mediaId, first.mediaId);
});

test('waiting gives up after its timeout while the job is still publishing, naming the publish_id', async () => {
  const cover = await h.client.material.add({ type: 'thumb', file: { data: await makeImage({ width: 20, height: 20, format: 'jpeg' }), filename: 'c.jpg' } });
  const draft = await h.client.draft.add({ articles: [{ title: '等', content: '<p>x</p>', thumb_media_id: cover.media_id }] });
  const { publish_id } = await h.client.freepublish.submit(draft.media_id);
  const polls = (): number => h.sim.calls({ path: '/cgi-bin/freepublish/get' }).length;
  const before = polls();
  const error = await waitForPublish(h.client, h.store, publish_id, { timeoutMs: 150, pollMs: 10_000, storePollMs: 10 }).then(
    () => assert.fail('expected a timeout'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof PublishWaitTimeoutError);
  assert.equal(error.publishId, publish_id);
  assert.match(error.message, new RegExp(`still publishing after 0 s; check later with: mpgate publish status ${publish_id}$`));
  assert.equal(polls() - before, 1, 'one freepublish/get, then only the store until the next poll is due');
});
