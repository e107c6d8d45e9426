import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReceivedCustomerMessage } from '../sim/wechat/types.js';
import { mediaUrl, shownCustomerMessage, shownPassiveReply } from './shown-message.js';

const address = { toUserName: 'o1', fromUserName: 'gh_1', createTime: 1 };
const received = (msgtype: string, payload: Record<string, unknown>, text?: string): ReceivedCustomerMessage => ({
  at: 1,
  appId: 'wx1',
  openid: 'o1',
  msgtype,
  payload,
  body: { touser: 'o1', msgtype, [msgtype]: payload },
  ...(text !== undefined && { text }),
});

test('passive replies: text as text, images and news pictures through the demo media route', () => {
  assert.deepEqual(shownPassiveReply({ kind: 'text', ...address, content: 'hi' }), { type: 'text', text: 'hi' });
  assert.deepEqual(shownPassiveReply({ kind: 'image', ...address, mediaId: 'M 1' }), { type: 'image', url: '/demo/api/media?ref=M%201' });
  assert.deepEqual(shownPassiveReply({ kind: 'news', ...address, articles: [{ title: 'T', url: 'http://x', picUrl: 'http://mmbiz.qpic.cn/a/0' }] }), {
    type: 'news',
    title: 'T',
    url: 'http://x',
    picUrl: mediaUrl('http://mmbiz.qpic.cn/a/0'),
  });
  assert.deepEqual(shownPassiveReply({ kind: 'voice', ...address, mediaId: 'v' }), { type: 'media', kind: 'voice', label: '[语音]' });
});

test('客服 messages: text, image by media_id, news, and a label for anything else', () => {
  assert.deepEqual(shownCustomerMessage(received('text', { content: 'hello' }, 'hello')), { type: 'text', text: 'hello' });
  assert.deepEqual(shownCustomerMessage(received('image', { media_id: 'abc' })), { type: 'image', url: mediaUrl('abc') });
  assert.deepEqual(shownCustomerMessage(received('news', { articles: [{ title: 'T', description: 'D', url: 'http://u' }] })), {
    type: 'news',
    title: 'T',
    description: 'D',
    url: 'http://u',
  });
  assert.deepEqual(shownCustomerMessage(received('wxcard', { card_id: 'c' })), { type: 'media', kind: 'wxcard', label: '[wxcard]' });
});
