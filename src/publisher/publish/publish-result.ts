/**
 * A publish job's result as freepublish/get reports it, and where the gateway records the same result when the
 * PUBLISHJOBFINISH event arrives, so that `article publish --wait` can read it instead of polling (freepublish/get
 * is limited to 100 calls a day). Both sources use one shape: WeChat's `PublishStatus`.
 */
import type { Store } from '../../store/store.js';
import type { PublishJobFinishEvent } from '../../wechat/index.js';
import type { PublishStatus, PublishStatusCode } from '../../wechat-api/index.js';

/** Where a publish job's final result is kept: `publish:result:<appId>:<publish_id>` (the gateway writes it). */
export function publishResultKey(appId: string, publishId: string): string {
  return `publish:result:${appId}:${publishId}`;
}

/** How long a recorded result is kept by default: a week, long enough for any waiting publisher. */
export const PUBLISH_RESULT_TTL_MS = 7 * 24 * 3600_000;

/** What each publish_status means (reference §2.2). */
export const PUBLISH_STATUS_MEANINGS: Readonly<Record<PublishStatusCode, string>> = {
  0: 'published',
  1: 'publishing',
  2: 'originality check failed (原创失败)',
  3: 'publishing failed (常规失败)',
  4: 'rejected by the platform review (平台审核不通过)',
  5: 'all articles deleted by the user after publishing (成功后用户删除所有文章)',
  6: 'all articles banned by the platform after publishing (成功后系统封禁所有文章)',
};

/** The meaning of a publish_status, also for codes the reference does not list. */
export function publishStatusMeaning(code: number): string {
  return PUBLISH_STATUS_MEANINGS[code as PublishStatusCode] ?? `unknown status ${code}`;
}

/** The result a PUBLISHJOBFINISH event carries, in freepublish/get's shape. */
export function publishResultFromEvent(event: PublishJobFinishEvent): PublishStatus {
  const status: PublishStatus = { publish_id: event.publishId, publish_status: (event.publishStatus ?? 3) as PublishStatusCode };
  if (event.articleId !== undefined) status.article_id = event.articleId;
  if (event.articles.length > 0) {
    status.article_detail = {
      count: event.articles.length,
      item: event.articles.map((a, i) => ({ idx: a.idx ?? i + 1, article_url: a.articleUrl })),
    };
  }
  if (event.failIdx.length > 0) status.fail_idx = [...event.failIdx];
  return status;
}

/** Records a finished job's result (the gateway calls this on PUBLISHJOBFINISH). */
export async function recordPublishResult(store: Store, appId: string, status: PublishStatus, options: { ttlMs?: number } = {}): Promise<void> {
  await store.set(publishResultKey(appId, status.publish_id), JSON.stringify(status), { ttlMs: options.ttlMs ?? PUBLISH_RESULT_TTL_MS });
}

/** The recorded result of a job, or undefined when none was recorded (or it is unreadable). */
export async function readPublishResult(store: Store, appId: string, publishId: string): Promise<PublishStatus | undefined> {
  const raw = await store.get(publishResultKey(appId, publishId));
  if (raw === undefined) return undefined;
  try {
    const parsed = JSON.parse(raw) as Partial<PublishStatus>;
    if (typeof parsed.publish_status !== 'number') return undefined;
    return { ...parsed, publish_id: publishId, publish_status: parsed.publish_status };
  } catch {
    return undefined;
  }
}

/** The published articles' URLs, in article order. */
export function publishedUrls(status: PublishStatus): string[] {
  return [...(status.article_detail?.item ?? [])].sort((a, b) => a.idx - b.idx).map((item) => item.article_url);
}

/** One line saying how a job ended, e.g. `published` or `publishing failed (常规失败): articles 2 (b.md)`. */
export function describePublishStatus(status: PublishStatus, files: readonly string[] = []): string {
  const meaning = `status ${status.publish_status}: ${publishStatusMeaning(status.publish_status)}`;
  const failed = status.fail_idx ?? [];
  if (failed.length === 0) return meaning;
  const named = failed.map((idx) => (files[idx - 1] === undefined ? `${idx}` : `${idx} (${files[idx - 1]})`));
  return `${meaning}; failed article${failed.length === 1 ? '' : 's'}: ${named.join(', ')}`;
}
