import { MpgateError } from '../../errors.js';

/** Why publishing stopped before or after talking to WeChat; stable and machine-readable. */
export type PublishErrorCode =
  | 'ARTICLE_INVALID'
  | 'IMAGE_UNAVAILABLE'
  | 'IMAGE_UNUSABLE'
  | 'PUBLISH_WAIT_TIMEOUT';

/** One field of one article that WeChat would refuse, found before any request. */
export interface ArticleProblem {
  /** The Markdown file (or the caller's label) the article came from. */
  file: string;
  /** The draft field: `title`, `author`, `digest`, `content`, `content_source_url`, `thumb_media_id`, `image_info` … */
  field: string;
  /** The limit as WeChat states it, e.g. `32 characters`, `under 1 MB`; undefined for rules that are not sizes. */
  limit: string | undefined;
  /** What is wrong, e.g. `title has 40 characters; WeChat allows at most 32`. */
  message: string;
}

/**
 * Articles that break WeChat's draft limits (reference §7.1). Thrown before any request, so a refused article
 * costs no quota; `problems` lists every field of every article at once, each naming its file and limit.
 */
export class ArticleValidationError extends MpgateError {
  readonly problems: readonly ArticleProblem[];
  constructor(problems: readonly ArticleProblem[]) {
    const lines = problems.map((p) => `${p.file}: ${p.message}`);
    super('ARTICLE_INVALID', lines.length === 1 ? (lines[0] ?? '') : `${lines.length} problems:\n  ${lines.join('\n  ')}`);
    this.problems = problems;
  }
}

/** An image (or cover) that could not be read or downloaded; `source` is the path or URL as written. */
export class ImageSourceError extends MpgateError {
  readonly source: string;
  constructor(source: string, reason: string, options?: { cause?: unknown }) {
    super('IMAGE_UNAVAILABLE', `image ${source}: ${reason}`, options);
    this.source = source;
  }
}

/** An image that could not be brought within WeChat's format and size limits (not an image, too large even when shrunk). */
export class ImageConversionError extends MpgateError {
  readonly source: string;
  constructor(source: string, reason: string, options?: { cause?: unknown }) {
    super('IMAGE_UNUSABLE', `image ${source}: ${reason}`, options);
    this.source = source;
  }
}

/** Waiting for a publish job gave up while it was still publishing; the job itself goes on. */
export class PublishWaitTimeoutError extends MpgateError {
  readonly publishId: string;
  constructor(publishId: string, waitedMs: number) {
    super(
      'PUBLISH_WAIT_TIMEOUT',
      `publish ${publishId} is still publishing after ${Math.round(waitedMs / 1000)} s; check later with: mpgate publish status ${publishId}`,
    );
    this.publishId = publishId;
  }
}
