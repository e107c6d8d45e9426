/** The draft box: `draft/add`, `get`, `update`, `delete`, `count`, `batchget` (§7.1). */
import { APIResource, type CallOptions } from '../resource.js';

type Flag = 0 | 1;

/** A regular article (`article_type` news, the default). */
export interface DraftNewsArticle {
  article_type?: 'news';
  /** Required; ≤ 32 characters. */
  title: string;
  /** ≤ 16 characters. */
  author?: string;
  /** ≤ 128 characters; single-article drafts only. */
  digest?: string;
  /** HTML, < 20 000 characters and < 1 MB; images must come from `media/uploadimg`. */
  content: string;
  /** 阅读原文 link, ≤ 1 KB. */
  content_source_url?: string;
  /** Permanent material id of the cover (required for news). */
  thumb_media_id: string;
  need_open_comment?: Flag;
  only_fans_can_comment?: Flag;
  /** Cover crops `X1_Y1_X2_Y2` with coordinates 0..1. */
  pic_crop_235_1?: string;
  pic_crop_1_1?: string;
}

/** An image post (`newspic`, 贴图): plain text plus up to 20 images, the first being the cover. */
export interface DraftNewspicArticle {
  article_type: 'newspic';
  title: string;
  content: string;
  need_open_comment?: Flag;
  only_fans_can_comment?: Flag;
  image_info: { image_list: { image_media_id: string }[] };
  cover_info?: { crop_percent_list: { ratio: '1_1' | '16_9' | '2.35_1'; x1: string; y1: string; x2: string; y2: string }[] };
  product_info?: { footer_product_info: { product_key: string } };
}

export type DraftArticle = DraftNewsArticle | DraftNewspicArticle;

/** An article as WeChat returns it (draft/get, material, freepublish/getarticle): the fields sent plus what it adds. */
export type StoredArticle = Partial<Omit<DraftNewsArticle, 'article_type'>> &
  Partial<Omit<DraftNewspicArticle, 'article_type'>> & {
    article_type?: 'news' | 'newspic';
    title: string;
    /** A temporary preview link (drafts) or the article's URL. */
    url?: string;
    thumb_url?: string;
    is_deleted?: boolean;
  };

export interface DraftListItem {
  media_id: string;
  content: { news_item: StoredArticle[] };
  update_time: number;
}

export interface DraftList {
  total_count: number;
  item_count: number;
  item: DraftListItem[];
}

export class Draft extends APIResource {
  /** Create a draft of one or more articles; returns its media_id. */
  async add(params: { articles: DraftArticle[] }, options?: CallOptions): Promise<{ media_id: string }> {
    return this.client.postJson<{ media_id: string }>('/cgi-bin/draft/add', params, options);
  }

  /** A draft's articles (40007 for an unknown id). */
  async get(mediaId: string, options?: CallOptions): Promise<{ news_item: StoredArticle[] }> {
    return this.client.postJson<{ news_item: StoredArticle[] }>('/cgi-bin/draft/get', { media_id: mediaId }, options);
  }

  /** Replace the article at `index` (0-based; 40114 when out of range). */
  async update(params: { media_id: string; index: number; articles: DraftArticle }, options?: CallOptions): Promise<void> {
    await this.client.postJson('/cgi-bin/draft/update', params, options);
  }

  /** Delete a draft for good. */
  async delete(mediaId: string, options?: CallOptions): Promise<void> {
    await this.client.postJson('/cgi-bin/draft/delete', { media_id: mediaId }, options);
  }

  /** How many drafts there are. */
  async count(options?: CallOptions): Promise<{ total_count: number }> {
    return this.client.getJson<{ total_count: number }>('/cgi-bin/draft/count', undefined, options);
  }

  /** List drafts, `count` 1..20 from `offset`; `no_content: 1` leaves out the HTML. */
  async batchget(params: { offset: number; count: number; no_content?: Flag }, options?: CallOptions): Promise<DraftList> {
    return this.client.postJson<DraftList>('/cgi-bin/draft/batchget', params, options);
  }
}
