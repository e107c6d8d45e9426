/** client.message against the simulator: every 客服 body type, the window, the quota, permissions and typing. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CustomMessageBody } from '../../../src/wechat-api/index.js';
import { expectApiError, fixture, useSimulator } from '../support.js';

const h = useSimulator();

/** A follower who just wrote to the account (5 sends for 48 h). */
function followerWhoWrote(): string {
  const openid = h.sim.addFollower();
  h.sim.interact(openid, 'message');
  return openid;
}

describe('client.message (simulator)', () => {
  it('sends every 客服 body type and the follower receives each as sent', async () => {
    const { wx, sim } = h;
    const image = await wx.media.upload('image', { data: fixture.png(), filename: 'a.png' });
    const voice = await wx.media.upload('voice', { data: fixture.amr(), filename: 'v.amr' });
    const video = await wx.media.upload('video', { data: fixture.mp4(), filename: 'clip.mp4' });
    const thumb = await wx.media.upload('thumb', { data: fixture.jpeg(), filename: 't.jpg' });
    // mpnewsarticle needs a published article.
    const cover = await wx.material.add({ type: 'image', file: { data: fixture.jpeg(), filename: 'cover.jpg' } });
    const draft = await wx.draft.add({ articles: [{ title: '标题', content: '<p>正文</p>', thumb_media_id: cover.media_id }] });
    const { publish_id } = await wx.freepublish.submit(draft.media_id);
    sim.finishPublishing();
    const published = await wx.freepublish.get(publish_id);
    assert.ok(published.article_id);

    const bodies: CustomMessageBody[] = [
      { msgtype: 'text', text: { content: '你好 <a href="https://mp.weixin.qq.com">链接</a>' } },
      { msgtype: 'image', image: { media_id: image.media_id } },
      { msgtype: 'voice', voice: { media_id: voice.media_id } },
      { msgtype: 'video', video: { media_id: video.media_id, thumb_media_id: thumb.media_id, title: 't', description: 'd' } },
      { msgtype: 'music', music: { title: 'm', description: 'd', musicurl: 'https://x/m.mp3', hqmusicurl: 'https://x/hq.mp3', thumb_media_id: thumb.media_id } },
      { msgtype: 'news', news: { articles: [{ title: 'n', description: 'd', url: 'https://mp.weixin.qq.com/s/x', picurl: 'https://x/p.jpg' }] } },
      { msgtype: 'mpnewsarticle', mpnewsarticle: { article_id: published.article_id } },
      { msgtype: 'msgmenu', msgmenu: { head_content: '满意吗', list: [{ id: '101', content: '满意' }, { id: '102', content: '不满意' }], tail_content: '谢谢' } },
      { msgtype: 'wxcard', wxcard: { card_id: 'pDF3iY9tv9zCGCj4jTXFOo1DxHdo' } },
      { msgtype: 'miniprogrampage', miniprogrampage: { title: 'p', appid: 'wx1234567890abcdef', pagepath: 'pages/index', thumb_media_id: thumb.media_id } },
    ];
    const openid = h.sim.addFollower();
    for (const [i, body] of bodies.entries()) {
      if (i % 5 === 0) sim.interact(openid, 'message'); // each user message grants 5 sends
      await wx.message.send({ touser: openid, ...body });
    }
    const received = sim.received(openid);
    assert.deepEqual(received.map((m) => m.msgtype), bodies.map((b) => b.msgtype));
    for (const [i, body] of bodies.entries()) {
      assert.deepEqual(received[i]?.body, { touser: openid, ...body });
    }
    assert.equal(received[0]?.text, '你好 <a href="https://mp.weixin.qq.com">链接</a>');
  });

  it('sends as a 客服 account, and sendText is the short form', async () => {
    const openid = followerWhoWrote();
    await h.wx.message.send({ touser: openid, msgtype: 'text', text: { content: 'a' }, customservice: { kf_account: 'kf1@gh_test' } });
    await h.wx.message.sendText(openid, 'b', { kfAccount: 'kf2@gh_test' });
    await h.wx.message.sendText(openid, 'c');
    const bodies = h.sim.received(openid).map((m) => m.body);
    assert.deepEqual(bodies[0]?.customservice, { kf_account: 'kf1@gh_test' });
    assert.deepEqual(bodies[1], { touser: openid, msgtype: 'text', text: { content: 'b' }, customservice: { kf_account: 'kf2@gh_test' } });
    assert.equal(bodies[2]?.customservice, undefined);
  });

  it('45015 outside the 48 h window, with a hint', async () => {
    const silent = h.sim.addFollower();
    const error = await expectApiError(h.wx.message.sendText(silent, 'hi'), 45015);
    assert.equal(error.path, '/cgi-bin/message/custom/send');
    assert.match(error.message, /48 h/);
    const wrote = followerWhoWrote();
    h.sim.advanceClock(48 * 3600_000 + 1000);
    await expectApiError(h.wx.message.sendText(wrote, 'late'), 45015);
  });

  it('45047 after the 5 messages a user message allows (not retried)', async () => {
    const openid = followerWhoWrote();
    for (let i = 1; i <= 5; i++) await h.wx.message.sendText(openid, `part ${i}`);
    const error = await expectApiError(h.wx.message.sendText(openid, 'part 6'), 45047);
    assert.match(error.message, /5 messages per user message/);
    assert.equal(h.sim.calls({ path: '/cgi-bin/message/custom/send' }).length, 6);
    assert.equal(h.sim.received(openid).length, 5);
  });

  it('48001 on an unverified account, with the hint', async () => {
    const openid = followerWhoWrote();
    h.sim.setCapability(h.sim.account.appId, { verified: false });
    try {
      const error = await expectApiError(h.wx.message.sendText(openid, 'hi'), 48001);
      assert.match(error.message, /unverified/);
      await expectApiError(h.wx.message.typing(openid), 48001);
    } finally {
      h.sim.setCapability(h.sim.account.appId, { verified: true });
    }
  });

  it('45008 for a news message with two articles; 40008 for the retired mpnews', async () => {
    const openid = followerWhoWrote();
    const article = { title: 'n', url: 'https://mp.weixin.qq.com/s/x' };
    const two = { touser: openid, msgtype: 'news', news: { articles: [article, article] } } as unknown as Parameters<typeof h.wx.message.send>[0];
    const error = await expectApiError(h.wx.message.send(two), 45008);
    assert.match(error.message, /only 1 article/);
    await expectApiError(h.wx.message.send({ touser: openid, msgtype: 'mpnews', mpnews: { media_id: 'x' } }), 40008);
  });

  it('typing: on, 45081 while on, off; 45080 without a recent interaction', async () => {
    const openid = followerWhoWrote();
    await h.wx.message.typing(openid, 'Typing');
    await expectApiError(h.wx.message.typing(openid, 'Typing'), 45081);
    await h.wx.message.typing(openid, 'CancelTyping');
    h.sim.advanceClock(31_000);
    const error = await expectApiError(h.wx.message.typing(openid, 'Typing'), 45080);
    assert.match(error.message, /30 s/);
  });
});
