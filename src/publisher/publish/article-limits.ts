/**
 * WeChat's draft article limits (reference wechat-platform.md §7.1), checked before any request so that an
 * article WeChat would refuse (45003, 45004, 45002, 41039 …) costs no quota and fails with a message naming the
 * file, the field and the limit. Pure: no I/O.
 */
import type { DraftArticle } from '../../wechat-api/index.js';
import { DRAFT_LIMITS } from '../../wechat/draft-limits.js';
import { ArticleValidationError, type ArticleProblem } from './errors.js';
import { characterCount, visibleTextLength } from './html-text.js';

/** The limits, in WeChat's units (the same table the simulator enforces). */
export const ARTICLE_LIMITS = DRAFT_LIMITS;

/** One article as the publisher is about to send it; enough to check every limit before uploading anything. */
export interface ArticleDraftInput {
  /** The Markdown file (or a label) named in error messages. */
  file: string;
  type: 'news' | 'newspic';
  title: string | undefined;
  author?: string | undefined;
  digest?: string | undefined;
  /** HTML (news) or plain text (newspic). */
  content: string;
  sourceUrl?: string | undefined;
  picCrop235?: string | undefined;
  picCrop11?: string | undefined;
  /** news: a cover will be sent as thumb_media_id. */
  hasCover: boolean;
  /** newspic: how many images the post carries. */
  imageCount: number;
}

const CROP = /^(?:0(?:\.\d{1,6})?|1(?:\.0{1,6})?)(?:_(?:0(?:\.\d{1,6})?|1(?:\.0{1,6})?)){3}$/;

/** Every limit `article` breaks, each naming its file, field and limit. */
export function articleProblems(article: ArticleDraftInput): ArticleProblem[] {
  const problems: ArticleProblem[] = [];
  const add = (field: string, limit: string | undefined, message: string): void => {
    problems.push({ file: article.file, field, limit, message });
  };
  const tooLong = (field: string, value: string | undefined, max: number): void => {
    if (value === undefined) return;
    const n = characterCount(value);
    if (n > max) add(field, `${max} characters`, `${field} has ${n} characters; WeChat allows at most ${max}`);
  };

  if (article.title === undefined || article.title.trim() === '') {
    add('title', undefined, 'title is missing: add "title:" to the front matter or start the article with a "# Title" line');
  } else {
    tooLong('title', article.title, ARTICLE_LIMITS.titleChars);
  }
  tooLong('author', article.author, ARTICLE_LIMITS.authorChars);
  tooLong('digest', article.digest, ARTICLE_LIMITS.digestChars);

  if (article.content.trim() === '') add('content', undefined, 'content is empty');
  const chars = article.type === 'news' ? visibleTextLength(article.content) : characterCount(article.content);
  if (chars >= ARTICLE_LIMITS.contentChars) {
    add('content', 'under 20,000 characters', `content has ${chars} characters of text; WeChat allows under ${ARTICLE_LIMITS.contentChars}`);
  }
  const bytes = Buffer.byteLength(article.content);
  if (bytes >= ARTICLE_LIMITS.contentBytes) {
    add('content', 'under 1 MB', `content is ${(bytes / 1024 / 1024).toFixed(2)} MB of HTML; WeChat allows under 1 MB`);
  }

  if (article.sourceUrl !== undefined && article.sourceUrl !== '') {
    const urlBytes = Buffer.byteLength(article.sourceUrl);
    if (urlBytes > ARTICLE_LIMITS.sourceUrlBytes) {
      add('content_source_url', '1 KB', `content_source_url is ${urlBytes} bytes; WeChat allows at most ${ARTICLE_LIMITS.sourceUrlBytes}`);
    } else if (!/^https?:\/\/\S+$/i.test(article.sourceUrl)) {
      add('content_source_url', undefined, `content_source_url must be an http(s) URL (got "${article.sourceUrl}")`);
    }
  }
  for (const [field, crop] of [
    ['pic_crop_235_1', article.picCrop235],
    ['pic_crop_1_1', article.picCrop11],
  ] as const) {
    if (crop !== undefined && !CROP.test(crop)) {
      add(field, undefined, `${field} must be X1_Y1_X2_Y2 with coordinates from 0 to 1 and at most 6 decimals (e.g. 0.1945_0_1_0.5236), got "${crop}"`);
    }
  }

  if (article.type === 'news' && !article.hasCover) {
    add('thumb_media_id', undefined, 'a news article needs a cover: add "cover: ./image.jpg" to the front matter, or put an image in the article');
  }
  if (article.type === 'newspic') {
    if (article.imageCount === 0) add('image_info', `1–${ARTICLE_LIMITS.newspicImages} images`, 'an image post (newspic) needs at least one image');
    if (article.imageCount > ARTICLE_LIMITS.newspicImages) {
      add('image_info', `${ARTICLE_LIMITS.newspicImages} images`, `an image post has ${article.imageCount} images; WeChat allows at most ${ARTICLE_LIMITS.newspicImages}`);
    }
  }
  return problems;
}

/** Throws ArticleValidationError listing every problem of every article, and when a draft would hold 0 or more than 8. */
export function assertDraftArticles(articles: readonly ArticleDraftInput[]): void {
  const problems = articles.flatMap((a) => articleProblems(a));
  if (articles.length === 0) problems.push({ file: '(draft)', field: 'articles', limit: undefined, message: 'a draft needs at least one article' });
  if (articles.length > ARTICLE_LIMITS.articlesPerDraft) {
    problems.push({
      file: '(draft)',
      field: 'articles',
      limit: `${ARTICLE_LIMITS.articlesPerDraft} articles`,
      message: `a draft holds at most ${ARTICLE_LIMITS.articlesPerDraft} articles; ${articles.length} files were given`,
    });
  }
  if (problems.length > 0) throw new ArticleValidationError(problems);
}

/** The same checks for an article already in the draft API's shape (for callers building drafts themselves). */
export function draftArticleInput(article: DraftArticle, file: string): ArticleDraftInput {
  if (article.article_type === 'newspic') {
    return { file, type: 'newspic', title: article.title, content: article.content, hasCover: true, imageCount: article.image_info.image_list.length };
  }
  return {
    file,
    type: 'news',
    title: article.title,
    author: article.author,
    digest: article.digest,
    content: article.content,
    sourceUrl: article.content_source_url,
    picCrop235: article.pic_crop_235_1,
    picCrop11: article.pic_crop_1_1,
    hasCover: typeof article.thumb_media_id === 'string' && article.thumb_media_id !== '',
    imageCount: 0,
  };
}
