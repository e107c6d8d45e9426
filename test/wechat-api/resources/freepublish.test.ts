/** client.freepublish against the simulator: submit → publishing → success, read, list, delete, and the main errors. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectApiError, fixture, useSimulator } from '../support.js';

const h = useSimulator();

async function draft(title = '发布测试'): Promise<string> {
  const thumb = (await h.wx.material.add({ type: 'thumb', file: { data: fixture.jpeg(), filename: 'c.jpg' } })).media_id;
  return (await h.wx.draft.add({ articles: [{ title, content: '<p>正文</p>', thumb_media_id: thumb }] })).media_id;
}

describe('client.freepublish (simulator)', () => {
  it('submits a draft, sees it publishing then published, reads, lists and deletes the article', async () => {
    const mediaId = await draft();
    const submitted = await h.wx.freepublish.submit(mediaId);
    assert.equal(typeof submitted.publish_id, 'string');
    const publishing = await h.wx.freepublish.get(submitted.publish_id);
    assert.equal(publishing.publish_status, 1);
    assert.equal(publishing.publish_id, submitted.publish_id);
    assert.equal(publishing.article_id, undefined);

    h.sim.finishPublishing();
    const done = await h.wx.freepublish.get(submitted.publish_id);
    assert.equal(done.publish_status, 0);
    assert.ok(done.article_id);
    assert.equal(done.article_detail?.count, 1);
    assert.equal(done.article_detail?.item[0]?.idx, 1);
    assert.ok(!('errcode' in done));

    const article = await h.wx.freepublish.getArticle(done.article_id);
    assert.equal(article.news_item[0]?.title, '发布测试');
    const list = await h.wx.freepublish.batchget({ offset: 0, count: 10 });
    assert.equal(list.total_count, 1);
    assert.equal(list.item[0]?.article_id, done.article_id);

    await h.wx.freepublish.delete(done.article_id);
    assert.equal((await h.wx.freepublish.getArticle(done.article_id)).news_item[0]?.is_deleted, true);
    // 5 = every article deleted after success.
    assert.equal((await h.wx.freepublish.get(submitted.publish_id)).publish_status, 5);
  });

  it('reports a failed publication with fail_idx', async () => {
    h.sim.setCapability(h.sim.account.appId, { publishStatus: 2 });
    try {
      const { publish_id } = await h.wx.freepublish.submit(await draft());
      h.sim.finishPublishing();
      const status = await h.wx.freepublish.get(publish_id);
      assert.equal(status.publish_status, 2);
      assert.equal(status.article_id, undefined);
      assert.deepEqual(status.fail_idx, [1]);
    } finally {
      h.sim.setCapability(h.sim.account.appId, { publishStatus: 0 });
    }
  });

  it('53600 for an unknown article_id; 48001 on an unverified account; 40007 for an unknown draft', async () => {
    const error = await expectApiError(h.wx.freepublish.getArticle('no-such-article'), 53600);
    assert.match(error.message, /invalid article_id/);
    await expectApiError(h.wx.freepublish.submit('no-such-draft'), 40007);
    const mediaId = await draft();
    h.sim.setCapability(h.sim.account.appId, { verified: false });
    try {
      const denied = await expectApiError(h.wx.freepublish.submit(mediaId), 48001);
      assert.match(denied.message, /verified/);
    } finally {
      h.sim.setCapability(h.sim.account.appId, { verified: true });
    }
  });
});
