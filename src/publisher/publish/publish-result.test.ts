import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryStore } from '../../store/index.js';
import {
  describePublishStatus,
  publishedUrls,
  publishResultFromEvent,
  publishResultKey,
  publishStatusMeaning,
  readPublishResult,
  recordPublishResult,
} from './publish-result.js';

test('the key the gateway writes PUBLISHJOBFINISH results under', () => {
  assert.equal(publishResultKey('wx0123456789abcdef', '2247503051'), 'publish:result:wx0123456789abcdef:2247503051');
});

test('a recorded result reads back; unknown or corrupt entries read as nothing', async () => {
  const store = new MemoryStore();
  const status = { publish_id: '9', publish_status: 2 as const, fail_idx: [1, 2] };
  await recordPublishResult(store, 'wxA', status);
  assert.deepEqual(await readPublishResult(store, 'wxA', '9'), status);
  assert.equal(await readPublishResult(store, 'wxB', '9'), undefined, 'per AppID');
  await store.set(publishResultKey('wxA', '10'), 'not json');
  assert.equal(await readPublishResult(store, 'wxA', '10'), undefined);
});

test('a PUBLISHJOBFINISH event becomes freepublish/get\'s shape', () => {
  const base = { toUserName: 'gh', fromUserName: 'mphelper', createTime: 1, msgType: 'event' as const, kind: 'event' as const, event: 'publishjobfinish' as const };
  const ok = publishResultFromEvent({ ...base, publishId: '7', publishStatus: 0, articleId: 'A', articles: [{ idx: 1, articleUrl: 'https://mp.weixin.qq.com/s/a' }], failIdx: [] } as never);
  assert.deepEqual(ok, { publish_id: '7', publish_status: 0, article_id: 'A', article_detail: { count: 1, item: [{ idx: 1, article_url: 'https://mp.weixin.qq.com/s/a' }] } });
  const failed = publishResultFromEvent({ ...base, publishId: '8', publishStatus: 4, articleId: undefined, articles: [], failIdx: [2] } as never);
  assert.deepEqual(failed, { publish_id: '8', publish_status: 4, fail_idx: [2] });
});

test('status meanings, failed articles named by file, URLs in article order', () => {
  assert.equal(publishStatusMeaning(0), 'published');
  assert.equal(publishStatusMeaning(6), 'all articles banned by the platform after publishing (成功后系统封禁所有文章)');
  assert.equal(publishStatusMeaning(9), 'unknown status 9');
  assert.equal(
    describePublishStatus({ publish_id: '1', publish_status: 2, fail_idx: [2, 3] }, ['a.md', 'b.md']),
    'status 2: originality check failed (原创失败); failed articles: 2 (b.md), 3',
  );
  assert.deepEqual(
    publishedUrls({ publish_id: '1', publish_status: 0, article_detail: { count: 2, item: [{ idx: 2, article_url: 'b' }, { idx: 1, article_url: 'a' }] } }),
    ['a', 'b'],
  );
});
