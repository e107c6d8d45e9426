import type { ApiCall, ApiRoute } from '../api-router.js';
import { checkPage, validateArticle, validateArticles, withoutContent, type DraftLookups } from '../draft-box.js';

function lookups(call: ApiCall): DraftLookups {
  const media = call.account.media;
  return {
    isImageMaterial: (id) => {
      try {
        const m = media.material(id);
        return m.kind === 'image' || m.kind === 'thumb';
      } catch {
        return false;
      }
    },
    materialUrl: (id) => media.file(id)?.url,
  };
}

/** The draft box (reference §7.1). */
export const draftRoutes: readonly ApiRoute[] = [
  {
    method: 'POST',
    path: '/cgi-bin/draft/add',
    auth: 'token',
    handler(call) {
      const articles = validateArticles(call.json().articles, lookups(call));
      return { media_id: call.account.drafts.add(articles, call.now).mediaId };
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/draft/get',
    auth: 'token',
    handler(call) {
      const drafts = call.account.drafts;
      return { news_item: drafts.view(drafts.get(call.json().media_id)) };
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/draft/update',
    auth: 'token',
    handler(call) {
      const body = call.json();
      const draft = call.account.drafts.get(body.media_id);
      const article = validateArticle(body.articles, lookups(call), draft.articles.length === 1);
      call.account.drafts.update(body.media_id, body.index, article, call.now);
      return { errcode: 0, errmsg: 'ok' };
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/draft/delete',
    auth: 'token',
    handler(call) {
      call.account.drafts.delete(call.json().media_id);
      return { errcode: 0, errmsg: 'ok' };
    },
  },
  {
    method: 'ANY',
    path: '/cgi-bin/draft/count',
    auth: 'token',
    handler(call) {
      return { total_count: call.account.drafts.count() };
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/draft/batchget',
    auth: 'token',
    handler(call) {
      const { offset, count, noContent } = checkPage(call.json());
      const drafts = call.account.drafts;
      const page = drafts.page(offset, count);
      return {
        total_count: page.total,
        item_count: page.items.length,
        item: page.items.map((d) => {
          const items = drafts.view(d);
          return { media_id: d.mediaId, content: { news_item: noContent ? withoutContent(items) : items }, update_time: Math.floor(d.updatedAt / 1000) };
        }),
      };
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/draft/switch',
    auth: 'token',
    handler(call) {
      // Opening the draft box is irreversible; `checkonly=1` only reports.
      if (call.query('checkonly') !== '1') call.account.draftBoxOpen = true;
      return { errcode: 0, errmsg: 'ok', is_open: call.account.draftBoxOpen ? 1 : 0 };
    },
  },
];

