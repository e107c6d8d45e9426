import { randomBytes } from 'node:crypto';
import { load } from 'cheerio';
import type MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';
import type { Element } from 'domhandler';
import { DEFAULT_THEME, THEMES, themeNames } from '../themes/index.js';
import { elementsIn } from './dom.js';
import { UnknownThemeError } from './errors.js';
import { splitFrontMatter, type ArticleFrontMatter } from './front-matter.js';
import { inlineCss } from './inline-css.js';
import { linksToReferences, type ArticleLink } from './links.js';
import { createArticleMarkdown } from './markdown.js';
import type { ArticleImage, RenderEnv, RenderWarning } from './render-env.js';
import { sanitizeForWeChat } from './sanitize.js';
import { prepareStylesheet } from './stylesheet.js';

/** Options of `renderArticle`. */
export interface RenderOptions {
  /** A built-in theme name; overrides the front matter's `theme`. Default `default`. */
  theme?: string;
  /** Extra CSS applied after the theme (same class hooks), e.g. the content of `--css FILE`. */
  customCss?: string;
  /** Directory that relative image paths are resolved against (fills `images[].localPath`). */
  baseDir?: string;
  /** Maps an image `src` as written to the URL to use (the uploaded mmbiz URL); undefined keeps `src`. */
  imageUrlMap?: (src: string) => string | undefined;
  /** Section titles; default `注释` (footnotes) and `参考链接` (link references). */
  labels?: { footnotes?: string; references?: string };
}

/** A rendered article: WeChat-safe HTML plus what the publisher needs to know about it. */
export interface RenderedArticle {
  /** One `<section>` with inline styles only: no class, id, `<style>`, `<script>` or non-mp link. */
  html: string;
  /** Front matter, with `title` taken from a leading `# heading` when the front matter has none. */
  frontMatter: ArticleFrontMatter;
  /** The theme used. */
  theme: string;
  images: ArticleImage[];
  links: ArticleLink[];
  warnings: RenderWarning[];
}

const DEFAULT_LABELS = { footnotes: '注释', references: '参考链接' };
/** Draft `content` limits (reference §7.1): < 20,000 characters of text and < 1 MB of HTML. */
const MAX_TEXT_CHARS = 20_000;
const MAX_HTML_BYTES = 1_000_000;
/** Draft field limits, in characters (reference §7.1). */
const FIELD_LIMITS = { title: 32, author: 16, digest: 128 } as const;

const parsers = new Map<string, MarkdownIt>();

/**
 * Renders a Markdown article (with optional YAML front matter) to HTML that WeChat's draft API keeps as
 * written: theme CSS inlined, code whitespace as `<br>`/`&nbsp;`, nested lists flattened, links turned into
 * numbered references, footnotes without anchors, math as standalone SVG.
 * Throws `FrontMatterError` or `UnknownThemeError`; anything merely questionable is a warning.
 */
export function renderArticle(markdown: string, options: RenderOptions = {}): RenderedArticle {
  const { frontMatter, body } = splitFrontMatter(markdown);
  const themeName = options.theme ?? frontMatter.theme ?? DEFAULT_THEME;
  const theme = THEMES.get(themeName);
  if (!theme) throw new UnknownThemeError(themeName, themeNames());
  const labels = { ...DEFAULT_LABELS, ...options.labels };
  const stylesheet = prepareStylesheet(options.customCss ? `${theme.css}\n${options.customCss}` : theme.css);

  const md = parserFor(labels.footnotes);
  const env: RenderEnv = {
    images: [],
    warnings: [],
    deferred: [],
    nonce: `mpgate-${randomBytes(6).toString('hex')}`,
    codeStyler: stylesheet.styleCodeTokens,
    deferredTextChars: 0,
    baseDir: options.baseDir,
    imageUrlMap: options.imageUrlMap,
  };
  const tokens = md.parse(body, env);
  const effective: ArticleFrontMatter = { ...frontMatter };
  if (effective.title === undefined) {
    const title = takeLeadingTitle(md, tokens, env);
    if (title !== undefined) effective.title = title;
  }
  const bodyHtml = md.renderer.render(tokens, md.options, env);

  const $ = load(`<section class="article">${bodyHtml}</section>`, { xml: { xmlMode: false, decodeEntities: false } }, false);
  const root = $.root()[0] as unknown as Element;
  const article = elementsIn(root, 'section')[0] as Element;
  const authorCss = takeStyleTags($, root);
  const links = linksToReferences($, article, labels.references, env.warnings);
  inlineCss($, authorCss ? `${stylesheet.documentCss}\n${authorCss}` : stylesheet.documentCss);
  sanitizeForWeChat(root, env.nonce, env.warnings);
  const text = $(article).text();
  const html = spliceDeferred($.html(), env);

  checkLimits(effective, text.replace(/\s+/g, '').length + env.deferredTextChars, html, env.warnings);
  return { html, frontMatter: effective, theme: theme.name, images: env.images, links, warnings: env.warnings };
}

function parserFor(footnotesTitle: string): MarkdownIt {
  let md = parsers.get(footnotesTitle);
  if (!md) {
    md = createArticleMarkdown({ footnotes: footnotesTitle });
    parsers.set(footnotesTitle, md);
  }
  return md;
}

/** WeChat shows the title above the article, so a leading `# Title` becomes the title instead of repeating it. */
function takeLeadingTitle(md: MarkdownIt, tokens: Token[], env: RenderEnv): string | undefined {
  const [open, inline] = tokens;
  if (open?.type !== 'heading_open' || open.tag !== 'h1' || inline?.type !== 'inline') return undefined;
  const title = md.renderer.renderInlineAsText(inline.children ?? [], md.options, env).trim();
  if (title === '') return undefined;
  tokens.splice(0, 3);
  return title;
}

/** `<style>` blocks written in the Markdown: their CSS is applied after the theme's, then they go. */
function takeStyleTags($: ReturnType<typeof load>, root: Element): string {
  const styles = elementsIn(root, 'style');
  const css = styles.map((s) => $(s).text()).join('\n');
  for (const s of styles) $(s).remove();
  return css;
}

function spliceDeferred(html: string, env: RenderEnv): string {
  if (env.deferred.length === 0) return html;
  const placeholder = new RegExp(`<!--${env.nonce}:(\\d+)-->`, 'g');
  return html.replace(placeholder, (_m, i: string) => env.deferred[Number(i)] ?? '');
}

function checkLimits(frontMatter: ArticleFrontMatter, textChars: number, html: string, warnings: RenderWarning[]): void {
  for (const [field, limit] of Object.entries(FIELD_LIMITS)) {
    const value = frontMatter[field];
    if (typeof value === 'string' && [...value].length > limit) {
      warnings.push({ code: 'field-too-long', message: `${field} has ${[...value].length} characters; WeChat allows ${limit}` });
    }
  }
  if (textChars >= MAX_TEXT_CHARS) {
    warnings.push({ code: 'content-too-long', message: `the article has ${textChars} characters of text; WeChat allows under ${MAX_TEXT_CHARS}` });
  }
  const bytes = Buffer.byteLength(html);
  if (bytes >= MAX_HTML_BYTES) {
    warnings.push({ code: 'content-too-large', message: `the HTML is ${bytes} bytes; WeChat allows under 1 MB` });
  }
}
