import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  ArticleValidationError,
  publishArticle,
  recordPublishResult,
  type PublishProgress,
} from '../../src/publisher/publish/index.js';
import { makeImage, startPublisherHarness, writeArticleWithImages, writeFixture, type PublisherHarness } from './support.js';

let h: PublisherHarness;
let n = 0;
/** A fresh folder per test, so the file → draft memory of one test does not leak into another. */
let dir: string;

before(async () => {
  h = await startPublisherHarness();
});
after(async () => {
  await h.close();
});
beforeEach(() => {
  dir = join(h.dir, `case-${++n}`);
});

const count = (path: string): number => h.sim.calls({ path }).filter((c) => c.errcode === 0).length;

test('round trip: images uploaded once across two publishes, the same draft updated, then published with its URL', async () => {
  const file = await writeArticleWithImages(dir);
  const first = await publishArticle({ client: h.client, store: h.store, files: [file] });
  assert.equal(first.draft.action, 'created');
  assert.equal(count('/cgi-bin/media/uploadimg'), 2, 'both article images uploaded');
  assert.equal(count('/cgi-bin/material/add_material'), 1, 'the cover uploaded as permanent material');
  assert.deepEqual(first.uploads, { uploaded: 3, cached: 0 });
  assert.equal(first.articles[0]?.title, '发布测试');
  assert.equal(first.articles[0]?.cover?.uploaded, true);

  const stored = await h.client.draft.get(first.draft.mediaId);
  const item = stored.news_item[0];
  assert.ok(item);
  assert.equal(item.title, '发布测试');
  assert.equal(item.author, '测试者');
  assert.equal(item.digest, '一篇带两张图的文章');
  assert.equal(item.content_source_url, 'https://example.com/post');
  assert.equal(item.need_open_comment, 1);
  assert.equal(item.thumb_media_id, first.articles[0]?.cover?.mediaId);
  // The simulator strips images not hosted on mmbiz.qpic.cn, as WeChat does: both must have survived.
  assert.equal((item.content ?? '').match(/<img [^>]*src="http:\/\/mmbiz\.qpic\.cn\//g)?.length, 2, item.content);
  assert.ok(!(item.content ?? '').includes('./img/'), 'no local path left in the HTML');

  const second = await publishArticle({ client: h.client, store: h.store, files: [file] });
  assert.equal(second.draft.action, 'updated');
  assert.equal(second.draft.mediaId, first.draft.mediaId);
  assert.deepEqual(second.uploads, { uploaded: 0, cached: 3 });
  assert.equal(count('/cgi-bin/media/uploadimg'), 2, 'nothing uploaded again');
  assert.equal(count('/cgi-bin/material/add_material'), 1, 'the cover not uploaded again');
  assert.equal((await h.client.draft.count()).total_count, 1, 'the draft was updated, not duplicated');
  assert.equal(count('/cgi-bin/draft/update'), 1);

  const steps: PublishProgress['step'][] = [];
  const published = await publishArticle({
    client: h.client,
    store: h.store,
    files: [file],
    wait: { pollMs: 20, storePollMs: 10, timeoutMs: 5000 },
    onProgress: (e) => steps.push(e.step),
  });
  assert.equal(published.draft.mediaId, first.draft.mediaId);
  assert.equal(published.publish?.state, 'published');
  assert.equal(published.publish?.status?.publish_status, 0);
  assert.match(published.publish?.urls[0] ?? '', /^https?:\/\/mp\.weixin\.qq\.com\/s/);
  assert.match(published.publish?.message ?? '', /^status 0: published/);
  assert.ok(steps.includes('submit') && steps.includes('wait'), steps.join(','));
  assert.equal(count('/cgi-bin/media/uploadimg'), 2, 'still nothing uploaded again');

  // WeChat removes a published draft: the next publish of the file starts a new draft and reuses every upload.
  const after = await publishArticle({ client: h.client, store: h.store, files: [file] });
  assert.equal(after.draft.action, 'created');
  assert.notEqual(after.draft.mediaId, first.draft.mediaId);
  assert.deepEqual(after.uploads, { uploaded: 0, cached: 3 });
});

test('a failing publish reports the status, its meaning and the failed article', async () => {
  const file = await writeArticleWithImages(dir);
  h.sim.setCapability(h.sim.account.appId, { publishStatus: 4, publishFailIdx: [1] });
  try {
    const result = await publishArticle({ client: h.client, store: h.store, files: [file], wait: { pollMs: 20, storePollMs: 10, timeoutMs: 5000 } });
    assert.equal(result.publish?.state, 'failed');
    assert.equal(result.publish?.status?.publish_status, 4);
    assert.deepEqual(result.publish?.urls, []);
    assert.match(result.publish?.message ?? '', /status 4: rejected by the platform review \(平台审核不通过\); failed article: 1 \(.*post\.md\)/);
  } finally {
    h.sim.setCapability(h.sim.account.appId, { publishStatus: 0 });
  }
});

test('--wait takes the PUBLISHJOBFINISH result the gateway recorded instead of polling again', async () => {
  const file = await writeArticleWithImages(dir);
  const polls = (): number => h.sim.calls({ path: '/cgi-bin/freepublish/get' }).length;
  const before = polls();
  const result = await publishArticle({
    client: h.client,
    store: h.store,
    files: [file],
    // the simulator would take 30 ms; the poll interval is far longer, so only the recorded event can end the wait
    wait: { pollMs: 60_000, storePollMs: 10, timeoutMs: 5000 },
    onProgress: (e) => {
      if (e.step !== 'submit') return;
      setTimeout(() => {
        void recordPublishResult(h.store, h.client.appId, {
          publish_id: e.publishId,
          publish_status: 0,
          article_id: 'ARTICLE_FROM_EVENT',
          article_detail: { count: 1, item: [{ idx: 1, article_url: 'https://mp.weixin.qq.com/s/from-event' }] },
        });
      }, 50);
    },
  });
  assert.equal(result.publish?.source, 'event');
  assert.deepEqual(result.publish?.urls, ['https://mp.weixin.qq.com/s/from-event']);
  assert.equal(polls() - before, 1, 'one poll right after submitting, none after');
});

test('a remembered draft that no longer exists (40007) is replaced by a new one; --new forces one', async () => {
  const file = await writeArticleWithImages(dir);
  const first = await publishArticle({ client: h.client, store: h.store, files: [file] });
  await h.client.draft.delete(first.draft.mediaId);
  const second = await publishArticle({ client: h.client, store: h.store, files: [file] });
  assert.equal(second.draft.action, 'created');
  assert.equal(second.draft.replaced, first.draft.mediaId);

  const forced = await publishArticle({ client: h.client, store: h.store, files: [file], newDraft: true });
  assert.equal(forced.draft.action, 'created');
  assert.notEqual(forced.draft.mediaId, second.draft.mediaId);
  assert.equal(forced.draft.replaced, undefined);
  // the memory now points at the newest draft
  const again = await publishArticle({ client: h.client, store: h.store, files: [file] });
  assert.equal(again.draft.mediaId, forced.draft.mediaId);
  assert.equal(again.draft.action, 'updated');
});

test('a cached cover deleted from the material library is uploaded again', async () => {
  const file = await writeArticleWithImages(dir);
  const first = await publishArticle({ client: h.client, store: h.store, files: [file] });
  const coverId = first.articles[0]?.cover?.mediaId ?? '';
  await h.client.material.del(coverId);
  const second = await publishArticle({ client: h.client, store: h.store, files: [file] });
  assert.equal(second.draft.action, 'updated');
  assert.equal(second.draft.mediaId, first.draft.mediaId);
  assert.notEqual(second.articles[0]?.cover?.mediaId, coverId);
  assert.equal(second.articles[0]?.cover?.uploaded, true);
});

test('validation names the file, the field and the limit before any request reaches WeChat', async () => {
  const file = writeFixture(
    dir,
    'long.md',
    `---\ntitle: ${'标'.repeat(40)}\nauthor: ${'作'.repeat(17)}\ndigest: ${'摘'.repeat(129)}\nsource_url: ftp://example.com/x\n---\n\n正文\n`,
  );
  const calls = h.sim.calls().length;
  const error = await publishArticle({ client: h.client, store: h.store, files: [file] }).then(
    () => assert.fail('expected a validation error'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ArticleValidationError, String(error));
  const byField = Object.fromEntries(error.problems.map((p) => [p.field, p]));
  assert.equal(byField.title?.limit, '32 characters');
  assert.match(byField.title?.message ?? '', /title has 40 characters; WeChat allows at most 32/);
  assert.equal(byField.author?.limit, '16 characters');
  assert.equal(byField.digest?.limit, '128 characters');
  assert.match(byField.content_source_url?.message ?? '', /http\(s\) URL/);
  assert.match(byField.thumb_media_id?.message ?? '', /needs a cover/);
  assert.ok(error.problems.every((p) => p.file.endsWith('long.md')));
  assert.match(error.message, /^5 problems:\n {2}.*long\.md: title has 40 characters/);
  assert.equal(h.sim.calls().length, calls, 'no call reached the simulator, not even a token request');
});

test('an unreadable image fails before any request, naming the image', async () => {
  const file = writeFixture(dir, 'broken.md', '---\ntitle: 缺图\n---\n\n![x](./missing.png)\n');
  const calls = h.sim.calls().length;
  await assert.rejects(publishArticle({ client: h.client, store: h.store, files: [file] }), {
    code: 'IMAGE_UNAVAILABLE',
    message: /image \.\/missing\.png: no such file .*missing\.png/,
  });
  assert.equal(h.sim.calls().length, calls);
});

test('several files make one multi-article draft; a large PNG and a WebP are converted for uploadimg', async () => {
  const big = await makeImage({ width: 900, height: 700, format: 'png', noise: true });
  assert.ok(big.byteLength > 1024 * 1024, `the fixture is over 1 MB (${big.byteLength})`);
  writeFixture(dir, 'big.png', big);
  writeFixture(dir, 'pic.webp', await makeImage({ width: 50, height: 50, format: 'webp' }));
  const a = writeFixture(dir, 'a.md', '---\ntitle: 第一篇\ndigest: 多图文时不用\n---\n\n![big](./big.png)\n');
  const b = writeFixture(dir, 'b.md', '# 第二篇\n\n正文 ![webp](./pic.webp)\n');
  const result = await publishArticle({ client: h.client, store: h.store, files: [a, b], coverType: 'thumb' });
  assert.equal(result.articles.length, 2);
  assert.deepEqual(
    result.articles.map((x) => x.title),
    ['第一篇', '第二篇'],
  );
  assert.ok(result.articles[0]?.warnings.some((w) => /re-encoded: 1\.\d MB → \d+ KB/.test(w)), result.articles[0]?.warnings.join('\n'));
  assert.ok(result.articles[0]?.warnings.some((w) => /digest ignored/.test(w)));
  assert.ok(result.articles[1]?.warnings.some((w) => /re-encoded: WEBP → JPEG/.test(w)), result.articles[1]?.warnings.join('\n'));
  const stored = await h.client.draft.get(result.draft.mediaId);
  assert.equal(stored.news_item.length, 2);
  for (const item of stored.news_item) assert.match(item.content ?? '', /<img [^>]*src="http:\/\/mmbiz\.qpic\.cn\//);
  // each cover is a JPEG thumb of at most 64 KB (the simulator refuses anything else with 40012)
  for (const article of result.articles) {
    const cover = await h.client.material.get(article.cover?.mediaId ?? '');
    assert.equal(cover.kind, 'file');
    assert.ok(cover.kind === 'file' && cover.data.byteLength <= 64 * 1024 && cover.data[0] === 0xff && cover.data[1] === 0xd8);
  }
});

test('an image post (newspic) from pictures and text', async () => {
  writeFixture(dir, 'p1.jpg', await makeImage({ width: 60, height: 60, format: 'jpeg', color: '#123456' }));
  writeFixture(dir, 'p2.png', await makeImage({ width: 60, height: 60, format: 'png', color: '#654321' }));
  const file = writeFixture(dir, 'pics.md', '---\ntitle: 周末随拍\narticle_type: newspic\n---\n\n今天天气**很好**。\n\n![](./p1.jpg)\n![](./p2.png)\n\n第二段。\n');
  const result = await publishArticle({ client: h.client, store: h.store, files: [file] });
  assert.equal(result.articles[0]?.type, 'newspic');
  assert.equal(result.articles[0]?.images, 2);
  const item = (await h.client.draft.get(result.draft.mediaId)).news_item[0];
  assert.equal(item?.article_type, 'newspic');
  assert.equal(item?.image_info?.image_list.length, 2);
  assert.equal(item?.content, '今天天气很好。\n第二段。');
});

test('remote images are downloaded before any request, uploaded once and cached by their content', async () => {
  const png = await makeImage({ width: 32, height: 32, format: 'png', color: '#999999' });
  let downloads = 0;
  const server = createServer((req, res) => {
    downloads++;
    if (req.url?.startsWith('/pic.png')) res.writeHead(200, { 'content-type': 'image/png' }).end(png);
    else res.writeHead(404).end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const file = writeFixture(dir, 'remote.md', `---\ntitle: 远程图片\n---\n\n![a](${base}/pic.png)\n\n![b](${base}/pic.png?again)\n`);
    const uploadsBefore = count('/cgi-bin/media/uploadimg');
    const first = await publishArticle({ client: h.client, store: h.store, files: [file] });
    assert.equal(count('/cgi-bin/media/uploadimg') - uploadsBefore, 1, 'two URLs, the same bytes: one upload');
    assert.deepEqual(first.uploads, { uploaded: 2, cached: 0 }, 'the image and the cover made from it');
    assert.equal(first.articles[0]?.cover?.source, `${base}/pic.png`);
    const stored = (await h.client.draft.get(first.draft.mediaId)).news_item[0]?.content ?? '';
    assert.equal(stored.match(/src="http:\/\/mmbiz\.qpic\.cn\//g)?.length, 2);
    assert.ok(!stored.includes(base));

    const missing = writeFixture(dir, 'missing.md', `---\ntitle: 缺图\n---\n\n![a](${base}/gone.png)\n`);
    const calls = h.sim.calls().length;
    await assert.rejects(publishArticle({ client: h.client, store: h.store, files: [missing] }), /image http:.*\/gone\.png: download failed: HTTP 404/);
    assert.equal(h.sim.calls().length, calls);
    assert.equal(downloads, 3);
  } finally {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  }
});
