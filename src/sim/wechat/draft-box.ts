import { DRAFT_LIMITS } from '../../wechat/draft-limits.js';
import { refuse } from './api-errors.js';
import { newPermanentId, randomString } from './ids.js';
import { idOfMmbizUrl } from './media-library.js';


/** A stored article as draft/get and freepublish/getarticle return it. */
export type NewsItem = Record<string, unknown> & { title: string; content: string; article_type: 'news' | 'newspic' };

/** What draft validation needs to know about the account's materials. */
export interface DraftLookups {
  /** A permanent image or thumb material. */
  isImageMaterial(id: unknown): boolean;
  /** The URL of an image material (for thumb_url). */
  materialUrl(id: string): string | undefined;
}

/** A draft in the draft box. */
export interface Draft {
  readonly mediaId: string;
  articles: NewsItem[];
  /** Simulator clock, ms. */
  readonly createdAt: number;
  updatedAt: number;
}

const chars = (s: string): number => [...s].length;
const CROP = /^(0(\.\d{1,6})?|1(\.0{1,6})?)(_(0(\.\d{1,6})?|1(\.0{1,6})?)){3}$/;

function optionalString(a: Record<string, unknown>, key: string): string | undefined {
  const v = a[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') refuse(47001);
  return v;
}

function flag(a: Record<string, unknown>, key: string): number {
  const v = a[key];
  if (v === undefined || v === null) return 0;
  if (v !== 0 && v !== 1) refuse(47001);
  return v;
}

/** Removes what the platform strips from article HTML: scripts, event handlers, images not hosted by WeChat. */
export function sanitizeArticleHtml(html: string): string {
  return html
    .replace(/<script\b[\s\S]*?<\/script\s*>/gi, '')
    .replace(/\s+on[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, '')
    .replace(/<img\b[^>]*>/gi, (tag) => {
      const src = /\bsrc\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(tag);
      const url = src?.[2] ?? src?.[3] ?? src?.[4] ?? '';
      return idOfMmbizUrl(url) !== undefined || /^https?:\/\/mmbiz\.q(pic|logo)\.cn\//.test(url) ? tag : '';
    });
}

function plainText(html: string): string {
  return html.replace(/<[^>]*>/g, '').replace(/&nbsp;/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * Validates one article of draft/add or draft/update (reference §7.1): 47001 bad shape, 45003 title, 45110 author,
 * 45004 digest, 44004 empty content, 45002 content size, 45166 newspic text, 41039 source URL, 40007 thumb/images.
 */
export function validateArticle(input: unknown, lookups: DraftLookups, single: boolean): NewsItem {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) refuse(47001);
  const a = input as Record<string, unknown>;
  const type = optionalString(a, 'article_type') ?? 'news';
  if (type !== 'news' && type !== 'newspic') refuse(47001);
  const title = optionalString(a, 'title');
  if (title === undefined || title.trim() === '') refuse(47001);
  if (chars(title) > DRAFT_LIMITS.titleChars) refuse(45003);
  const author = optionalString(a, 'author') ?? '';
  if (chars(author) > DRAFT_LIMITS.authorChars) refuse(45110);
  const digestIn = optionalString(a, 'digest');
  if (digestIn !== undefined && chars(digestIn) > DRAFT_LIMITS.digestChars) refuse(45004);
  const content = optionalString(a, 'content');
  if (content === undefined || content.trim() === '') refuse(44004);
  if (chars(content) >= DRAFT_LIMITS.contentChars || Buffer.byteLength(content) >= DRAFT_LIMITS.contentBytes) {
    refuse(type === 'newspic' ? 45166 : 45002);
  }
  const sourceUrl = optionalString(a, 'content_source_url') ?? '';
  if (sourceUrl !== '' && (Buffer.byteLength(sourceUrl) > DRAFT_LIMITS.sourceUrlBytes || !/^https?:\/\/\S+$/i.test(sourceUrl))) refuse(41039);
  for (const key of ['pic_crop_235_1', 'pic_crop_1_1']) {
    const crop = optionalString(a, key);
    if (crop !== undefined && crop !== '' && !CROP.test(crop)) refuse(47001);
  }
  const item: NewsItem = {
    article_type: type,
    title,
    author,
    // The digest exists for single-article drafts only; by default the first 54 characters of the body.
    digest: single ? (digestIn ?? [...plainText(content)].slice(0, 54).join('')) : '',
    content: sanitizeArticleHtml(content),
    content_source_url: sourceUrl,
    need_open_comment: flag(a, 'need_open_comment'),
    only_fans_can_comment: flag(a, 'only_fans_can_comment'),
  };
  if (type === 'news') {
    const thumb = a.thumb_media_id;
    if (!lookups.isImageMaterial(thumb)) refuse(40007);
    item.thumb_media_id = thumb;
    item.thumb_url = lookups.materialUrl(thumb as string) ?? '';
    item.show_cover_pic = 0;
    for (const key of ['pic_crop_235_1', 'pic_crop_1_1']) if (typeof a[key] === 'string') item[key] = a[key];
  } else {
    const info = a.image_info as { image_list?: unknown } | undefined;
    const list = info?.image_list;
    if (!Array.isArray(list) || list.length === 0 || list.length > DRAFT_LIMITS.newspicImages) refuse(47001);
    for (const img of list) if (!lookups.isImageMaterial((img as { image_media_id?: unknown } | null)?.image_media_id)) refuse(40007);
    item.image_info = { image_list: list.map((img) => ({ image_media_id: (img as { image_media_id: string }).image_media_id })) };
    if (a.cover_info !== undefined) item.cover_info = a.cover_info;
    if (a.product_info !== undefined) item.product_info = a.product_info;
  }
  return item;
}

/** Validates the `articles` array of draft/add: 44003 empty, 45008 over 8 articles. */
export function validateArticles(input: unknown, lookups: DraftLookups): NewsItem[] {
  if (!Array.isArray(input) || input.length === 0) refuse(44003);
  if (input.length > DRAFT_LIMITS.articlesPerDraft) refuse(45008);
  return input.map((a) => validateArticle(a, lookups, input.length === 1));
}

/** Checks the paging of a batchget: offset ≥ 0, count 1..20. */
export function checkPage(body: Record<string, unknown>): { offset: number; count: number; noContent: boolean } {
  const offset = body.offset ?? 0;
  const count = body.count;
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) refuse(47001);
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 20) refuse(47001);
  return { offset, count, noContent: body.no_content === 1 };
}

/** Drops `content` from items when a batchget asked for no_content. */
export function withoutContent(items: NewsItem[]): Record<string, unknown>[] {
  return items.map(({ content: _content, ...rest }) => rest);
}

/** One account's draft box. */
export class DraftBox {
  private readonly drafts = new Map<string, Draft>();
  /** A fake `__biz` for preview links. */
  private readonly biz = Buffer.from(randomString(10, '0123456789')).toString('base64');

  add(articles: NewsItem[], now: number): Draft {
    const draft: Draft = { mediaId: newPermanentId(), articles, createdAt: now, updatedAt: now };
    this.drafts.set(draft.mediaId, draft);
    return draft;
  }

  /** 40007 when unknown. */
  get(mediaId: unknown): Draft {
    const d = typeof mediaId === 'string' ? this.drafts.get(mediaId) : undefined;
    if (!d) refuse(40007);
    return d;
  }

  /** The articles with their temporary preview `url`, as draft/get returns them. */
  view(draft: Draft): NewsItem[] {
    return draft.articles.map((a) => ({ ...a, url: `http://mp.weixin.qq.com/s?__biz=${this.biz}&tempkey=${randomString(40)}&chksm=${randomString(8)}#rd` }));
  }

  /** draft/update: `index` is 0-based; 40114 when out of range. */
  update(mediaId: unknown, index: unknown, article: NewsItem, now: number): void {
    const d = this.get(mediaId);
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= d.articles.length) refuse(40114);
    d.articles[index] = article;
    d.updatedAt = now;
  }

  delete(mediaId: unknown): void {
    const d = this.get(mediaId);
    this.drafts.delete(d.mediaId);
  }

  count(): number {
    return this.drafts.size;
  }

  /** Newest first, as the platform lists them. */
  page(offset: number, count: number): { total: number; items: Draft[] } {
    const all = [...this.drafts.values()].reverse().sort((a, b) => b.updatedAt - a.updatedAt);
    return { total: all.length, items: all.slice(offset, offset + count) };
  }

  clear(): void {
    this.drafts.clear();
  }
}
