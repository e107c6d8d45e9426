import { isAbsolute, resolve } from 'node:path';
import type { MarkdownIt, Token } from 'markdown-it';
import { escapeHtml } from './escape-html.js';
import { blockMeta, type RenderEnv } from './render-env.js';

/**
 * Images: the `src` goes through the caller's `imageUrlMap` (the publisher maps every image to its
 * uploaded mmbiz URL) and is collected into `env.images`. A paragraph holding only an image becomes a
 * figure captioned with the image title, or else its alt text.
 */
export function articleImages(md: MarkdownIt): void {
  md.core.ruler.push('mpgate_figures', (state) => {
    markFigures(state.tokens);
  });
  md.renderer.rules.image = (tokens, idx, _options, env: RenderEnv, self) => {
    const token = tokens[idx] as Token;
    const src = token.attrGet('src') ?? '';
    const alt = self.renderInlineAsText(token.children ?? [], _options, env);
    const url = mapImage(src, alt, env);
    return `<img src="${escapeHtml(url)}" alt="${escapeHtml(alt)}">`;
  };
}

function mapImage(src: string, alt: string, env: RenderEnv): string {
  const mapped = env.imageUrlMap?.(src);
  if (env.imageUrlMap && mapped === undefined) {
    env.warnings.push({ code: 'image-not-mapped', message: `image "${src}" has no uploaded URL; WeChat filters images not hosted on mmbiz.qpic.cn` });
  }
  const url = mapped ?? src;
  const local = !/^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(src);
  const localPath = local && src !== '' && env.baseDir !== undefined ? (isAbsolute(src) ? src : resolve(env.baseDir, decodeUriSafely(src))) : undefined;
  env.images.push({ src, alt, url, ...(localPath === undefined ? {} : { localPath }) });
  return url;
}

function decodeUriSafely(path: string): string {
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

function markFigures(tokens: Token[]): void {
  for (let i = 0; i + 2 < tokens.length; i++) {
    const open = tokens[i] as Token;
    if (open.type !== 'paragraph_open' || open.hidden || blockMeta(open).markerHtml !== undefined) continue;
    const inline = tokens[i + 1] as Token;
    const close = tokens[i + 2] as Token;
    const parts = (inline.children ?? []).filter((c) => !(c.type === 'softbreak' || (c.type === 'text' && c.content.trim() === '')));
    const image = parts[0];
    if (parts.length !== 1 || image?.type !== 'image' || close.type !== 'paragraph_close') continue;
    const caption = image.attrGet('title') || (image.children ?? []).map((c) => c.content).join('');
    blockMeta(open).figureCaption = caption;
    blockMeta(close).figureCaption = caption;
  }
}
