/**
 * One Markdown file read and rendered once, before anything is uploaded: its front matter, whether it is a
 * regular article or an image post, which images it needs uploaded and which picture is its cover.
 */
import { dirname } from 'node:path';
import { readArticleSource, renderArticle, type ArticleFrontMatter, type RenderOptions, type RenderedArticle } from '../render/index.js';
import type { ArticleDraftInput } from './article-limits.js';
import { plainTextOfHtml } from './html-text.js';
import { isWeChatImageUrl } from './image-source.js';

/** How every article of a draft is rendered. */
export interface ArticleRenderSettings {
  theme?: string;
  customCss?: string;
  /** Every file becomes an image post, whatever its front matter says. */
  newspic?: boolean;
}

/** A file ready for its uploads. */
export interface PreparedArticle {
  /** The file as the caller named it (for messages). */
  file: string;
  /** The folder relative image paths are resolved against. */
  baseDir: string;
  markdown: string;
  frontMatter: ArticleFrontMatter;
  /** `news` (regular article) or `newspic` (image post: front matter `article_type: newspic`). */
  type: 'news' | 'newspic';
  /** First rendering (local image paths still in it): enough to check the limits. */
  html: string;
  /** Distinct images to upload: for news those not already on WeChat's CDN, for an image post every picture. */
  imageSources: string[];
  /** The cover (news only): front matter `cover`, else the article's first picture. */
  coverSource: string | undefined;
  /** Renderer warnings and, later, notes of the publisher (re-encoded images). */
  warnings: string[];
}

/** Reads and renders `path`; throws ArticleFileError, FrontMatterError or UnknownThemeError. */
export async function prepareArticle(path: string, file: string, settings: ArticleRenderSettings): Promise<PreparedArticle> {
  const markdown = await readArticleSource(path);
  const baseDir = dirname(path);
  const first = renderArticle(markdown, renderOptions(settings, baseDir));
  const frontMatter = first.frontMatter;
  const declared = String(frontMatter.article_type ?? '').toLowerCase();
  const type = settings.newspic || declared === 'newspic' ? 'newspic' : 'news';
  const sources = [...new Set(first.images.map((i) => i.src).filter((src) => src.trim() !== ''))];
  // The publisher checks the limits itself, naming the field and the file: drop the renderer's versions.
  const warnings = first.warnings.filter((w) => !['field-too-long', 'content-too-long', 'content-too-large'].includes(w.code)).map((w) => w.message);
  return {
    file,
    baseDir,
    markdown,
    frontMatter,
    type,
    html: first.html,
    imageSources: type === 'news' ? sources.filter((src) => !isWeChatImageUrl(src)) : sources,
    coverSource: type === 'news' ? (frontMatter.cover ?? sources[0]) : undefined,
    warnings,
  };
}

/** Renders the article again with every image pointing at its uploaded URL. */
export function renderWithUploads(a: PreparedArticle, settings: ArticleRenderSettings, urlOf: (src: string) => string | undefined): RenderedArticle {
  return renderArticle(a.markdown, { ...renderOptions(settings, a.baseDir), imageUrlMap: (src) => (isWeChatImageUrl(src) ? src : urlOf(src)) });
}

/** The text of an image post: the rendered article without its pictures, as plain text (WeChat takes no HTML there). */
export function newspicCaption(a: PreparedArticle, settings: ArticleRenderSettings): string {
  const rendered = renderArticle(a.markdown.replace(/!\[[^\]]*\]\([^)]*\)/g, ''), renderOptions(settings, a.baseDir));
  return plainTextOfHtml(rendered.html);
}

/** What the draft limits are checked on; the digest only counts in a single-article draft. */
export function limitsInput(a: PreparedArticle, content: string, articleCount: number, hasCover = a.coverSource !== undefined): ArticleDraftInput {
  const fm = a.frontMatter;
  return {
    file: a.file,
    type: a.type,
    title: fm.title,
    author: fm.author,
    digest: articleCount === 1 ? fm.digest : undefined,
    content,
    sourceUrl: fm.source_url,
    picCrop235: textOf(fm.pic_crop_235_1),
    picCrop11: textOf(fm.pic_crop_1_1),
    hasCover: a.type === 'newspic' || hasCover,
    imageCount: a.type === 'newspic' ? a.imageSources.length : 0,
  };
}

/** A front matter value as text (crops may be written as numbers-and-underscores YAML reads as text anyway). */
export function textOf(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : String(value);
}

function renderOptions(settings: ArticleRenderSettings, baseDir: string): RenderOptions {
  return { baseDir, ...(settings.theme === undefined ? {} : { theme: settings.theme }), ...(settings.customCss === undefined ? {} : { customCss: settings.customCss }) };
}
