import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import Fastify from 'fastify';
import { pino, type Logger } from 'pino';
import { readArticleSource } from './article-source.js';
import { previewErrorPage, previewPage } from './preview-page.js';
import { renderArticle } from './render-article.js';

/** Options of `startPreviewServer`. */
export interface PreviewServerOptions {
  /** The Markdown file; re-read and re-rendered on every page load. */
  file: string;
  theme?: string;
  /** A CSS file applied after the theme; re-read on every page load. */
  cssFile?: string;
  /** Default 127.0.0.1: the preview serves local files and is for this machine only. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  accountName?: string;
  logger?: Logger;
}

/** A running preview; `url` is the page to open. */
export interface PreviewServer {
  url: string;
  close(): Promise<void>;
}

const IMAGE_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.bmp': 'image/bmp',
};

/**
 * Serves the article at phone width on a local port: `/` renders the file afresh (so a reload shows
 * edits, and the page reloads itself when the file changes), `/__image/N` serves the article's local
 * images — only files the article references, never arbitrary paths.
 */
export async function startPreviewServer(options: PreviewServerOptions): Promise<PreviewServer> {
  const file = resolve(options.file);
  const cssFile = options.cssFile === undefined ? undefined : resolve(options.cssFile);
  const imageIds = new Map<string, number>();
  const imagePaths: string[] = [];
  // an open browser tab keeps polling over keep-alive connections; closing must not wait for them
  const app = Fastify({ loggerInstance: options.logger ?? pino({ level: 'silent' }), forceCloseConnections: true });

  const version = async (): Promise<string> => {
    const times = await Promise.all([file, cssFile].map((f) => (f ? stat(f).then((s) => String(s.mtimeMs), () => 'missing') : '')));
    return times.join('/');
  };

  app.get('/', async (_request, reply) => {
    const shown = await version();
    reply.type('text/html; charset=utf-8');
    try {
      const markdown = await readArticleSource(file);
      const customCss = cssFile ? await readArticleSource(cssFile) : undefined;
      const article = renderArticle(markdown, {
        ...(options.theme === undefined ? {} : { theme: options.theme }),
        ...(customCss === undefined ? {} : { customCss }),
        baseDir: dirname(file),
        imageUrlMap: (src) => {
          if (/^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(src)) return src;
          const path = resolve(dirname(file), safeDecodeUri(src));
          let id = imageIds.get(path);
          if (id === undefined) {
            id = imagePaths.push(path) - 1;
            imageIds.set(path, id);
          }
          return `/__image/${id}${extname(path)}`;
        },
      });
      return previewPage(article, { reloadVersion: shown, ...(options.accountName === undefined ? {} : { accountName: options.accountName }) });
    } catch (err) {
      reply.code(500);
      return previewErrorPage(err instanceof Error ? err.message : String(err), shown);
    }
  });

  app.get('/__version', async () => ({ version: await version() }));

  app.get<{ Params: { id: string } }>('/__image/:id', async (request, reply) => {
    const path = imagePaths[Number.parseInt(request.params.id, 10)];
    const type = path === undefined ? undefined : IMAGE_TYPES[extname(path).toLowerCase()];
    if (path === undefined || type === undefined) return reply.code(404).send({ error: 'no such image in this article' });
    try {
      await stat(path);
    } catch {
      return reply.code(404).send({ error: `image file not found: ${path}` });
    }
    return reply.type(type).send(createReadStream(path));
  });

  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { url: `http://${host}:${port}/`, close: () => app.close() };
}

function safeDecodeUri(path: string): string {
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}
