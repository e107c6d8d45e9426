/** Publishing: `freepublish/submit`, `get`, `delete`, `getarticle`, `batchget` (§7.2). */
import { WeChatTransportError } from '../errors.js';
import { APIResource, type CallOptions } from '../resource.js';
import type { StoredArticle } from './draft.js';

/**
 * `publish_status`: 0 success, 1 publishing, 2 originality check failed, 3 general failure, 4 rejected by review,
 * 5 all articles deleted by the user after success, 6 all articles banned after success.
 */
export type PublishStatusCode = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export interface PublishStatus {
  publish_id: string;
  publish_status: PublishStatusCode;
  article_id?: string;
  article_detail?: { count: number; item: { idx: number; article_url: string }[] };
  /** 1-based indexes of the failed articles (status 2 or 4). */
  fail_idx?: number[];
}

export interface PublishedListItem {
  article_id: string;
  content: { news_item: StoredArticle[] };
  update_time: number;
}

export interface PublishedList {
  total_count: number;
  item_count: number;
  item: PublishedListItem[];
}

export class FreePublish extends APIResource {
  /**
   * Queue a draft for publishing. Success means *submitted*: poll `get(publish_id)` or wait for
   * PUBLISHJOBFINISH. 48001 on unverified accounts.
   */
  async submit(mediaId: string, options?: CallOptions): Promise<{ publish_id: string; msg_data_id?: number }> {
    const body = await this.client.postJson<{ publish_id?: string | number; msg_data_id?: number }>(
      '/cgi-bin/freepublish/submit',
      { media_id: mediaId },
      options,
    );
    if (body.publish_id === undefined) throw new WeChatTransportError('/cgi-bin/freepublish/submit', 'the answer carries no publish_id');
    const result: { publish_id: string; msg_data_id?: number } = { publish_id: String(body.publish_id) };
    if (body.msg_data_id !== undefined) result.msg_data_id = body.msg_data_id;
    return result;
  }

  /** Where a publish job stands. */
  async get(publishId: string, options?: CallOptions): Promise<PublishStatus> {
    const body = await this.client.postJson<PublishStatus & { publish_id: string | number }>(
      '/cgi-bin/freepublish/get',
      { publish_id: publishId },
      options,
    );
    const { errcode: _errcode, errmsg: _errmsg, ...status } = body as PublishStatus & { errcode?: number; errmsg?: string };
    return { ...status, publish_id: String(body.publish_id) };
  }

  /** Delete a published article: `index` is 1-based; 0 or omitted deletes every article of it. */
  async delete(articleId: string, index = 0, options?: CallOptions): Promise<void> {
    await this.client.postJson('/cgi-bin/freepublish/delete', { article_id: articleId, index }, options);
  }

  /** A published article's content (53600 for an unknown article_id). */
  async getArticle(articleId: string, options?: CallOptions): Promise<{ news_item: StoredArticle[] }> {
    return this.client.postJson<{ news_item: StoredArticle[] }>('/cgi-bin/freepublish/getarticle', { article_id: articleId }, options);
  }

  /** List published articles, `count` 1..20 from `offset`. */
  async batchget(params: { offset: number; count: number; no_content?: 0 | 1 }, options?: CallOptions): Promise<PublishedList> {
    return this.client.postJson<PublishedList>('/cgi-bin/freepublish/batchget', params, options);
  }
}
