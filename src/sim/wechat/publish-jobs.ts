import { refuse } from './api-errors.js';
import type { NewsItem } from './draft-box.js';
import { newPermanentId, randomString } from './ids.js';
import type { WechatSimPublishOutcome } from './types.js';

/** publish_status values (reference §2.2). */
export const PUBLISH_STATUS = {
  success: 0,
  publishing: 1,
  originalityFailed: 2,
  generalFailure: 3,
  rejectedByReview: 4,
  allDeletedByUser: 5,
  bannedBySystem: 6,
} as const;

/** A freepublish job and, once it succeeded, the published article. */
export interface PublishJob {
  readonly appId: string;
  readonly publishId: string;
  readonly msgDataId: number;
  readonly draftMediaId: string;
  readonly articles: NewsItem[];
  /** Simulator clock, ms. */
  readonly submittedAt: number;
  readonly outcome: WechatSimPublishOutcome;
  readonly failIdx: number[];
  status: number;
  finishedAt?: number;
  articleId?: string;
  articleUrls: string[];
  deleted: boolean[];
}

let nextPublishId = 2_247_503_051;

/** One account's publish jobs and published articles. */
export class PublishJobs {
  private readonly jobs = new Map<string, PublishJob>();
  private readonly byArticle = new Map<string, PublishJob>();

  submit(init: { appId: string; draftMediaId: string; articles: NewsItem[]; outcome: WechatSimPublishOutcome; failIdx?: number[]; now: number }): PublishJob {
    const id = nextPublishId++;
    const failing = init.outcome === 2 || init.outcome === 4;
    const job: PublishJob = {
      appId: init.appId,
      publishId: String(id),
      msgDataId: id,
      draftMediaId: init.draftMediaId,
      articles: init.articles.map((a) => ({ ...a })),
      submittedAt: init.now,
      outcome: init.outcome,
      failIdx: failing ? (init.failIdx ?? init.articles.map((_, i) => i + 1)) : [],
      status: PUBLISH_STATUS.publishing,
      articleUrls: [],
      deleted: init.articles.map(() => false),
    };
    this.jobs.set(job.publishId, job);
    return job;
  }

  /** Ends a job that is still publishing; returns true if this call ended it. */
  finish(job: PublishJob, now: number): boolean {
    if (job.status !== PUBLISH_STATUS.publishing) return false;
    job.status = job.outcome;
    job.finishedAt = now;
    if (job.outcome === PUBLISH_STATUS.success) {
      job.articleId = newPermanentId();
      job.articleUrls = job.articles.map(() => `http://mp.weixin.qq.com/s/${randomString(22)}`);
      this.byArticle.set(job.articleId, job);
    }
    return true;
  }

  /** Every job, oldest first. */
  allJobs(): PublishJob[] {
    return [...this.jobs.values()];
  }

  /** Jobs still publishing (for the simulator to settle). */
  pending(): PublishJob[] {
    return [...this.jobs.values()].filter((j) => j.status === PUBLISH_STATUS.publishing);
  }

  /** freepublish/get; 53600 for an unknown publish_id (no dedicated code is documented). */
  job(publishId: unknown): PublishJob {
    const j = typeof publishId === 'string' || typeof publishId === 'number' ? this.jobs.get(String(publishId)) : undefined;
    if (!j) refuse(53600);
    return j;
  }

  /** A published article (getarticle, delete); 53600 when unknown. */
  article(articleId: unknown): PublishJob {
    const j = typeof articleId === 'string' ? this.byArticle.get(articleId) : undefined;
    if (!j) refuse(53600);
    return j;
  }

  /** Whether an article_id was published by this account (for mpnewsarticle and menus). */
  hasArticle(articleId: unknown): boolean {
    return typeof articleId === 'string' && this.byArticle.has(articleId);
  }

  /** freepublish/delete: `index` is 1-based, 0/omitted deletes all; 40114 out of range. Status 5 once all are gone. */
  deleteArticle(articleId: unknown, index: unknown): void {
    const j = this.article(articleId);
    const i = index === undefined || index === null ? 0 : index;
    if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i > j.articles.length) refuse(40114);
    if (i === 0) j.deleted.fill(true);
    else j.deleted[i - 1] = true;
    if (j.deleted.every(Boolean)) j.status = PUBLISH_STATUS.allDeletedByUser;
  }

  /** The articles as getarticle returns them. */
  view(j: PublishJob): Record<string, unknown>[] {
    return j.articles.map((a, i) => ({ ...a, url: j.articleUrls[i] ?? '', is_deleted: j.deleted[i] ?? false }));
  }

  /** Successful publications, newest first (freepublish/batchget). */
  published(offset: number, count: number): { total: number; items: PublishJob[] } {
    const all = [...this.byArticle.values()].reverse();
    return { total: all.length, items: all.slice(offset, offset + count) };
  }

  clear(): void {
    this.jobs.clear();
    this.byArticle.clear();
  }
}
