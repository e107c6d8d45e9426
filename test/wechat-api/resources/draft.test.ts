/** client.draft against the simulator: news and newspic drafts through their whole life, and the main errors. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DraftNewsArticle } from '../../../src/wechat-api/index.js';
import { expectApiError, fixture, useSimulator } from '../support.js';

const h = useSimulator();

async function cover(): Promise<string> {
  return (await h.wx.material.add({ type: 'thumb', file: { data: fixture.jpeg(), filename: 'cover.jpg' } })).media_id;
}

describe('client.draft (simulator)', () => {
  it('adds a news draft, reads it back, updates it, counts, lists and deletes it', async () => {
    const thumb = await cover();
    const { url: inline } = await h.wx.media.uploadImg({ data: fixture.png(), filename: 'inline.png' });
    const article: DraftNewsArticle = {
      title: '第一篇',
      author: '作者',
      digest: '摘要',
      content: `<p>正文</p><img src="${inline}">`,
      content_source_url: 'https://example.com/original',
      thumb_media_id: thumb,
      need_open_comment: 1,
    };
    const { media_id } = await h.wx.draft.add({ articles: [article] });
    const got = await h.wx.draft.get(media_id);
    assert.equal(got.news_item.length, 1);
    assert.equal(got.news_item[0]?.title, '第一篇');
    assert.equal(got.news_item[0]?.digest, '摘要');
    assert.equal(got.news_item[0]?.thumb_media_id, thumb);
    assert.ok(got.news_item[0]?.content?.includes(inline));

    await h.wx.draft.update({ media_id, index: 0, articles: { ...article, title: '改过的标题' } });
    assert.equal((await h.wx.draft.get(media_id)).news_item[0]?.title, '改过的标题');
    await expectApiError(h.wx.draft.update({ media_id, index: 3, articles: article }), 40114);

    assert.deepEqual(await h.wx.draft.count(), { total_count: 1 });
    const list = await h.wx.draft.batchget({ offset: 0, count: 20, no_content: 1 });
    assert.equal(list.total_count, 1);
    assert.equal(list.item[0]?.media_id, media_id);
    assert.equal(list.item[0]?.content.news_item[0]?.title, '改过的标题');

    await h.wx.draft.delete(media_id);
    assert.deepEqual(await h.wx.draft.count(), { total_count: 0 });
    await expectApiError(h.wx.draft.get(media_id), 40007);
  });

  it('adds a newspic (image post) draft', async () => {
    const images = [];
    for (let i = 0; i < 2; i++) images.push((await h.wx.material.add({ type: 'image', file: { data: fixture.jpeg(), filename: `i${i}.jpg` } })).media_id);
    const { media_id } = await h.wx.draft.add({
      articles: [{ article_type: 'newspic', title: '贴图', content: '三张图', image_info: { image_list: images.map((image_media_id) => ({ image_media_id })) } }],
    });
    const item = (await h.wx.draft.get(media_id)).news_item[0];
    assert.equal(item?.article_type, 'newspic');
    assert.deepEqual(item?.image_info?.image_list.map((i) => i.image_media_id), images);
  });

  it('40007 for a thumb that is not permanent material; 45003 for a long title', async () => {
    const temp = await h.wx.media.upload('thumb', { data: fixture.jpeg(), filename: 't.jpg' });
    await expectApiError(h.wx.draft.add({ articles: [{ title: 't', content: '<p>x</p>', thumb_media_id: temp.media_id }] }), 40007);
    const thumb = await cover();
    await expectApiError(h.wx.draft.add({ articles: [{ title: '长'.repeat(33), content: '<p>x</p>', thumb_media_id: thumb }] }), 45003);
  });
});
