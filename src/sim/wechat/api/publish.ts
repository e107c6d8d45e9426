import type { ApiRoute } from '../api-router.js';
import { checkPage, withoutContent, type NewsItem } from '../draft-box.js';
import type { PublishJob } from '../publish-jobs.js';

/** freepublish/get's answer for a job (reference §7.2). */
export function publishStatusBody(job: PublishJob): Record<string, unknown> {
  const body: Record<string, unknown> = { publish_id: job.publishId, publish_status: job.status };
  if (job.articleId !== undefined) {
    body.article_id = job.articleId;
    body.article_detail = { count: job.articleUrls.length, item: job.articleUrls.map((url, i) => ({ idx: i + 1, article_url: url })) };
  }
  body.fail_idx = job.failIdx;
  return body;
}

/** Publishing (reference §7.2); verified accounts only. */
export const publishRoutes: readonly ApiRoute[] = [
  {
    method: 'POST',
    path: '/cgi-bin/freepublish/submit',
    auth: 'token',
    verifiedOnly: true,
    handler(call) {
      const a = call.account;
      const draft = a.drafts.get(call.json().media_id);
      const job = a.publishes.submit({
        appId: a.account.appId,
        draftMediaId: draft.mediaId,
        articles: draft.articles,
        outcome: a.capabilities.publishStatus,
        ...(a.capabilities.publishFailIdx ? { failIdx: a.capabilities.publishFailIdx } : {}),
        now: call.now,
      });
      call.state.schedulePublish(a, job);
      return { errcode: 0, errmsg: 'ok', publish_id: job.publishId, msg_data_id: job.msgDataId };
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/freepublish/get',
    auth: 'token',
    verifiedOnly: true,
    handler(call) {
      call.state.settlePublishJobs();
      return publishStatusBody(call.account.publishes.job(call.json().publish_id));
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/freepublish/getarticle',
    auth: 'token',
    verifiedOnly: true,
    handler(call) {
      const p = call.account.publishes;
      return { news_item: p.view(p.article(call.json().article_id)) };
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/freepublish/delete',
    auth: 'token',
    verifiedOnly: true,
    handler(call) {
      const body = call.json();
      call.account.publishes.deleteArticle(body.article_id, body.index);
      return { errcode: 0, errmsg: 'ok' };
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/freepublish/batchget',
    auth: 'token',
    verifiedOnly: true,
    handler(call) {
      call.state.settlePublishJobs();
      const { offset, count, noContent } = checkPage(call.json());
      const p = call.account.publishes;
      const page = p.published(offset, count);
      return {
        total_count: page.total,
        item_count: page.items.length,
        item: page.items.map((j) => {
          const items = p.view(j) as NewsItem[];
          return { article_id: j.articleId, content: { news_item: noContent ? withoutContent(items) : items }, update_time: Math.floor((j.finishedAt ?? j.submittedAt) / 1000) };
        }),
      };
    },
  },
];
