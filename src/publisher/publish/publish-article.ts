/**
 * The article workflow: Markdown files → one WeChat draft (created, or updated when the same files were
 * published before) → optionally submitted and waited for.
 *
 * Order matters: everything that can fail without WeChat (reading and rendering the files, the draft limits,
 * reading and downloading the images) happens before the first request, so a bad article costs no quota.
 * Then images are uploaded once per account (cached by sha256), the articles rendered again with the uploaded
 * URLs, and the draft saved.
 */
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import type { CommentsSetting } from '../render/index.js';
import type { Store } from '../../store/store.js';
import { WeChatApiError, type DraftArticle, type DraftNewsArticle, type PublishStatus, type WeChatClient } from '../../wechat-api/index.js';
import { assertDraftArticles, type ArticleDraftInput } from './article-limits.js';
import { DraftMemory } from './draft-memory.js';
import { DraftUploads } from './draft-uploads.js';
import { PublishWaitTimeoutError } from './errors.js';
import { ImageUploadCache } from './image-upload-cache.js';
import type { ImageSourceOptions } from './image-source.js';
import {
  limitsInput,
  newspicCaption,
  prepareArticle,
  renderWithUploads,
  textOf,
  type ArticleRenderSettings,
  type PreparedArticle,
} from './prepared-article.js';
import { describePublishStatus, publishedUrls } from './publish-result.js';
import { waitForPublish, type WaitForPublishOptions } from './wait-for-publish.js';

export interface PublishArticleOptions {
  client: WeChatClient;
  /** Where uploads, the file → draft mapping and recorded publish results are kept (share it with the gateway). */
  store: Store;
  /** Markdown files, one article each, in draft order (1–8). */
  files: readonly string[];
  /** Theme for every article; default: each file's front matter, then `default`. */
  theme?: string;
  /** Extra CSS applied after the theme. */
  customCss?: string;
  /** Create a new draft even when these files were published before. */
  newDraft?: boolean;
  /** Every file becomes an image post (newspic): its images the pictures, its text the caption. Front matter `article_type: newspic` does the same per file. */
  newspic?: boolean;
  /** Permanent material type of covers. `image` (default) keeps the picture as it is; `thumb` is a JPEG of at most 64 KB. */
  coverType?: 'image' | 'thumb';
  /** Submit the draft for publishing (freepublish/submit). */
  submit?: boolean;
  /** Wait for the publishing result (implies `submit`); options tune the polling. */
  wait?: boolean | WaitForPublishOptions;
  /** Reading local and remote images: size cap, download timeout, fetch. */
  images?: Omit<ImageSourceOptions, 'baseDir'>;
  /** GIFs in articles: permanent material keeping the animation (default) or a still via uploadimg. */
  gif?: 'material' | 'first-frame';
  /** Told of each step, for progress display. */
  onProgress?: (event: PublishProgress) => void;
  logger?: Logger;
}

/** A step of the workflow, for progress display. */
export type PublishProgress =
  | { step: 'render'; file: string; index: number; total: number }
  | { step: 'load-images'; total: number }
  | { step: 'image'; file: string; source: string; done: number; total: number; uploaded: boolean }
  | { step: 'cover'; file: string; source: string; uploaded: boolean }
  | { step: 'draft'; action: 'create' | 'update'; mediaId?: string }
  | { step: 'submit'; publishId: string }
  | { step: 'wait'; publishId: string; status: number; source: 'event' | 'poll' };

/** One article of the draft. */
export interface PublishedArticleSummary {
  file: string;
  title: string;
  type: 'news' | 'newspic';
  /** Images in the article (newspic: pictures of the post). */
  images: number;
  cover?: { source: string; mediaId: string; uploaded: boolean };
  /** Renderer warnings and publisher notes (re-encoded images, ignored fields). */
  warnings: string[];
}

/** What happened to the draft and, when asked, to the publish job. */
export interface PublishArticleResult {
  appId: string;
  draft: {
    mediaId: string;
    action: 'created' | 'updated';
    /** The remembered draft that could not be updated (deleted, published, or with another article count). */
    replaced?: string;
  };
  articles: PublishedArticleSummary[];
  /** Distinct images and covers: uploaded now vs. found in the cache. */
  uploads: { uploaded: number; cached: number };
  publish?: PublishOutcome;
}

/** The publish job: `submitted` (not waited for), `publishing` (still, or when the wait gave up), `published` or `failed`. */
export interface PublishOutcome {
  publishId: string;
  msgDataId?: number;
  state: 'submitted' | 'publishing' | 'published' | 'failed';
  status?: PublishStatus;
  /** Where the final status came from. */
  source?: 'event' | 'poll';
  /** Article URLs once published, in article order. */
  urls: string[];
  /** One line: the status and its meaning, with the failed articles named. */
  message: string;
}

/** Publishes Markdown files as one draft (see the module comment); throws before any request when an article breaks a limit. */
export async function publishArticle(options: PublishArticleOptions): Promise<PublishArticleResult> {
  const { client, store } = options;
  const progress = options.onProgress ?? (() => {});
  const settings: ArticleRenderSettings = {
    ...(options.theme === undefined ? {} : { theme: options.theme }),
    ...(options.customCss === undefined ? {} : { customCss: options.customCss }),
    ...(options.newspic ? { newspic: true } : {}),
  };

  // 1. Read and render every file; check every limit that does not need the uploads.
  const paths = options.files.map((f) => resolve(f));
  const articles: PreparedArticle[] = [];
  for (const [index, path] of paths.entries()) {
    const file = options.files[index] ?? path;
    progress({ step: 'render', file, index, total: paths.length });
    articles.push(await prepareArticle(path, file, settings));
  }
  assertDraftArticles(articles.map((a) => limitsInput(a, a.type === 'news' ? a.html : newspicCaption(a, settings), articles.length)));

  // 2. Read or download every image, still before the first WeChat request; then upload what is not cached.
  const cache = new ImageUploadCache({ client, store, ...(options.gif ? { gif: options.gif } : {}), ...(options.logger ? { logger: options.logger } : {}) });
  const uploads = new DraftUploads(cache, { coverType: options.coverType ?? 'image', ...(options.images ? { images: options.images } : {}), progress });
  await uploads.load(articles);
  await uploads.upload(articles);

  // 3. Render again with the uploaded URLs and save the draft: update the remembered one, or create one.
  let built = buildDraft(articles, uploads, settings);
  const memory = new DraftMemory(store, client.appId);
  const draft = await saveDraft({
    client,
    memory,
    paths,
    articles: () => built.articles,
    newDraft: options.newDraft === true,
    renewMaterials: async () => {
      if (!(await uploads.renewCachedMaterials(articles))) return false;
      built = buildDraft(articles, uploads, settings);
      return true;
    },
    progress,
  });
  const result: PublishArticleResult = { appId: client.appId, draft, articles: built.summaries, uploads: uploads.counts() };

  // 4. Submit and wait.
  if (options.submit || options.wait) {
    result.publish = await submitAndWait(client, store, draft.mediaId, options.files, options, progress);
    // A published draft leaves the draft box: the next publish of these files starts a new one.
    if (result.publish.state === 'published') await memory.forget(paths);
  }
  return result;
}

/** The draft's articles in the API's shape (checked against the limits once more) and their summaries. */
function buildDraft(articles: readonly PreparedArticle[], uploads: DraftUploads, settings: ArticleRenderSettings): { articles: DraftArticle[]; summaries: PublishedArticleSummary[] } {
  const built = articles.map((a) => buildArticle(a, articles.length, uploads, settings));
  assertDraftArticles(built.map((b) => b.input));
  return { articles: built.map((b) => b.article), summaries: built.map((b) => b.summary) };
}

function buildArticle(
  a: PreparedArticle,
  articleCount: number,
  uploads: DraftUploads,
  settings: ArticleRenderSettings,
): { article: DraftArticle; summary: PublishedArticleSummary; input: ArticleDraftInput } {
  const fm = a.frontMatter;
  const comments = commentFlags(fm.comments);
  const warnings = [...new Set(a.warnings)];
  const title = fm.title ?? '';
  if (a.type === 'newspic') {
    const content = newspicCaption(a, settings);
    const image_list = a.imageSources.map((src) => ({ image_media_id: uploads.pictureOf(a, src).mediaId }));
    return {
      article: { article_type: 'newspic', title, content, image_info: { image_list }, ...comments },
      summary: { file: a.file, title, type: 'newspic', images: image_list.length, warnings },
      input: limitsInput(a, content, articleCount),
    };
  }
  const rendered = renderWithUploads(a, settings, (src) => uploads.urlOf(a, src));
  const cover = uploads.coverOf(a);
  if (articleCount > 1 && fm.digest !== undefined) warnings.push('digest ignored: WeChat shows a digest for single-article drafts only');
  const crop235 = textOf(fm.pic_crop_235_1);
  const crop11 = textOf(fm.pic_crop_1_1);
  const article: DraftNewsArticle = {
    article_type: 'news',
    title,
    content: rendered.html,
    thumb_media_id: cover?.mediaId ?? '',
    ...(fm.author ? { author: fm.author } : {}),
    ...(articleCount === 1 && fm.digest ? { digest: fm.digest } : {}),
    ...(fm.source_url ? { content_source_url: fm.source_url } : {}),
    ...(crop235 ? { pic_crop_235_1: crop235 } : {}),
    ...(crop11 ? { pic_crop_1_1: crop11 } : {}),
    ...comments,
  };
  const summary: PublishedArticleSummary = { file: a.file, title, type: 'news', images: rendered.images.length, warnings };
  if (cover && a.coverSource !== undefined) summary.cover = { source: a.coverSource, mediaId: cover.mediaId, uploaded: cover.uploaded };
  return { article, summary, input: limitsInput(a, rendered.html, articleCount, cover !== undefined) };
}

/** Front matter `comments` as the draft's two flags (nothing when the front matter is silent). */
function commentFlags(comments: CommentsSetting | undefined): { need_open_comment?: 0 | 1; only_fans_can_comment?: 0 | 1 } {
  if (comments === 'all') return { need_open_comment: 1, only_fans_can_comment: 0 };
  if (comments === 'fans') return { need_open_comment: 1, only_fans_can_comment: 1 };
  if (comments === 'off') return { need_open_comment: 0, only_fans_can_comment: 0 };
  return {};
}

interface SaveDraftInput {
  client: WeChatClient;
  memory: DraftMemory;
  /** Absolute paths of the files, in order: what the draft is remembered by. */
  paths: readonly string[];
  /** The articles to send (rebuilt when materials are renewed). */
  articles: () => DraftArticle[];
  newDraft: boolean;
  /** Uploads again the materials that came from the cache, after WeChat called a material id unknown; false when none did. */
  renewMaterials: () => Promise<boolean>;
  progress: (event: PublishProgress) => void;
}

async function saveDraft(input: SaveDraftInput): Promise<PublishArticleResult['draft']> {
  const { client, memory, paths, progress } = input;
  const remembered = input.newDraft ? undefined : await memory.recall(paths);
  let replaced: string | undefined;
  if (remembered) {
    progress({ step: 'draft', action: 'update', mediaId: remembered.mediaId });
    try {
      await updateAll(client, remembered.mediaId, input.articles());
      await memory.remember(paths, remembered.mediaId);
      return { mediaId: remembered.mediaId, action: 'updated' };
    } catch (error) {
      if (!isErrcode(error, 40007, 40114)) throw error;
      // 40007 means the draft is gone (deleted, or published) — or that a cached cover is; tell them apart.
      if (isErrcode(error, 40007) && (await draftExists(client, remembered.mediaId)) && (await input.renewMaterials())) {
        await updateAll(client, remembered.mediaId, input.articles());
        await memory.remember(paths, remembered.mediaId);
        return { mediaId: remembered.mediaId, action: 'updated' };
      }
      replaced = remembered.mediaId;
    }
  }
  progress({ step: 'draft', action: 'create' });
  let created: { media_id: string };
  try {
    created = await client.draft.add({ articles: input.articles() });
  } catch (error) {
    if (!isErrcode(error, 40007) || !(await input.renewMaterials())) throw error;
    created = await client.draft.add({ articles: input.articles() });
  }
  await memory.remember(paths, created.media_id);
  return { mediaId: created.media_id, action: 'created', ...(replaced === undefined ? {} : { replaced }) };
}

async function updateAll(client: WeChatClient, mediaId: string, articles: DraftArticle[]): Promise<void> {
  for (const [index, article] of articles.entries()) await client.draft.update({ media_id: mediaId, index, articles: article });
}

async function draftExists(client: WeChatClient, mediaId: string): Promise<boolean> {
  try {
    await client.draft.get(mediaId);
    return true;
  } catch (error) {
    if (isErrcode(error, 40007)) return false;
    throw error;
  }
}

function isErrcode(error: unknown, ...codes: number[]): error is WeChatApiError {
  return error instanceof WeChatApiError && codes.includes(error.errcode);
}

async function submitAndWait(
  client: WeChatClient,
  store: Store,
  draftId: string,
  files: readonly string[],
  options: PublishArticleOptions,
  progress: (event: PublishProgress) => void,
): Promise<PublishOutcome> {
  const submitted = await client.freepublish.submit(draftId);
  progress({ step: 'submit', publishId: submitted.publish_id });
  const base = { publishId: submitted.publish_id, ...(submitted.msg_data_id === undefined ? {} : { msgDataId: submitted.msg_data_id }) };
  if (!options.wait) {
    return { ...base, state: 'submitted', urls: [], message: `submitted as publish ${submitted.publish_id}; the result follows (mpgate publish status ${submitted.publish_id})` };
  }
  const waitOptions = typeof options.wait === 'object' ? options.wait : {};
  try {
    const finished = await waitForPublish(client, store, submitted.publish_id, {
      ...waitOptions,
      onStatus: (status, source) => {
        waitOptions.onStatus?.(status, source);
        progress({ step: 'wait', publishId: submitted.publish_id, status: status.publish_status, source });
      },
    });
    return publishOutcome(finished.status, finished.source, files, base.msgDataId);
  } catch (error) {
    // The job goes on; the draft and the publish_id are still worth reporting.
    if (!(error instanceof PublishWaitTimeoutError)) throw error;
    return { ...base, state: 'publishing', urls: [], message: error.message };
  }
}

/** A finished job as a PublishOutcome (shared with `mpgate publish status`). */
export function publishOutcome(status: PublishStatus, source: 'event' | 'poll' | undefined, files: readonly string[] = [], msgDataId?: number): PublishOutcome {
  const published = status.publish_status === 0;
  return {
    publishId: status.publish_id,
    ...(msgDataId === undefined ? {} : { msgDataId }),
    state: status.publish_status === 1 ? 'publishing' : published ? 'published' : 'failed',
    status,
    ...(source === undefined ? {} : { source }),
    urls: publishedUrls(status),
    message: describePublishStatus(status, files),
  };
}
