/** Publishing: image uploads cached per account, drafts from Markdown files, freepublish and its result. */
export { publishArticle, publishOutcome } from './publish-article.js';
export type { PublishArticleOptions, PublishArticleResult, PublishedArticleSummary, PublishOutcome, PublishProgress } from './publish-article.js';
export { ARTICLE_LIMITS, articleProblems, assertDraftArticles, draftArticleInput, type ArticleDraftInput } from './article-limits.js';
export { characterCount, visibleTextLength, plainTextOfHtml } from './html-text.js';
export {
  ArticleValidationError,
  ImageSourceError,
  ImageConversionError,
  PublishWaitTimeoutError,
  type ArticleProblem,
  type PublishErrorCode,
} from './errors.js';
export { ImageUploadCache, type ImageUploadCacheOptions, type ArticleImageUpload, type MaterialUpload } from './image-upload-cache.js';
export { loadImage, isWeChatImageUrl, isRemoteImage, type ImageSourceOptions, type LoadedImage } from './image-source.js';
export { fitImage, imageTargetLimit, type FittedImage, type ImageTarget } from './image-fit.js';
export { DraftMemory, type RememberedDraft } from './draft-memory.js';
export { articleImageKey, materialKey, draftKey } from './store-keys.js';
export {
  publishResultKey,
  recordPublishResult,
  readPublishResult,
  publishResultFromEvent,
  publishStatusMeaning,
  describePublishStatus,
  publishedUrls,
  PUBLISH_STATUS_MEANINGS,
  PUBLISH_RESULT_TTL_MS,
} from './publish-result.js';
export { waitForPublish, type WaitForPublishOptions, type FinishedPublish } from './wait-for-publish.js';
