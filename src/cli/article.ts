import { writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { MpgateError } from '../errors.js';
import {
  previewPage,
  readArticleSource,
  renderArticle,
  startPreviewServer,
  themeNames,
  THEMES,
  type RenderedArticle,
} from '../publisher/index.js';

/** Where `mpgate article …` writes; tests pass their own. */
export interface ArticleCommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
  setExitCode(code: number): void;
  /** Resolves when the preview should stop (default: Ctrl-C / SIGTERM). */
  untilStopped(): Promise<void>;
}

const processIo: ArticleCommandIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  setExitCode: (code) => {
    process.exitCode = code;
  },
  untilStopped: () =>
    new Promise((done) => {
      process.once('SIGINT', () => done());
      process.once('SIGTERM', () => done());
    }),
};

interface RenderCommandOptions {
  output?: string;
  theme?: string;
  css?: string;
  page?: boolean;
  json?: boolean;
  preview?: boolean;
  port?: number;
}

/** Registers `mpgate article …` (render now; publish arrives with the rest of the publisher). */
export function registerArticleCommands(program: Command, io: ArticleCommandIo = processIo): Command {
  const article = program.command('article').description('render or publish a Markdown article (article render | publish FILE.md)');
  article
    .command('render')
    .description('render a Markdown article to WeChat-ready HTML (inline styles only), or preview it at phone width')
    .argument('<file>', 'the Markdown file (YAML front matter: title, author, digest, cover, source_url, comments, theme)')
    .option('-o, --output <file>', 'write the HTML to this file instead of stdout')
    .option('--theme <name>', `theme (${themeNames().join(', ')}); overrides the front matter`)
    .option('--css <file>', 'extra CSS applied after the theme')
    .option('--page', 'write a full HTML page with the phone-width frame instead of the bare article HTML')
    .option('--json', 'write JSON: html, frontMatter, images, links, warnings')
    .option('--preview', 'serve a live preview page at phone width on 127.0.0.1 (Ctrl-C stops it)')
    .option('--port <n>', 'port for --preview (default: any free port)', parsePort)
    .addHelpText('after', `\nThemes:\n${[...THEMES.values()].map((t) => `  ${t.name.padEnd(10)} ${t.description}`).join('\n')}\n`)
    .action(async (file: string, options: RenderCommandOptions) => {
      try {
        if (options.preview) await preview(file, options, io);
        else await render(file, options, io);
      } catch (err) {
        io.stderr(`mpgate article render: ${describe(err, file)}\n`);
        io.setExitCode(1);
      }
    });
  return article;
}

async function render(file: string, options: RenderCommandOptions, io: ArticleCommandIo): Promise<void> {
  const markdown = await readArticleSource(file);
  const customCss = options.css === undefined ? undefined : await readArticleSource(options.css);
  const article = renderArticle(markdown, {
    ...(options.theme === undefined ? {} : { theme: options.theme }),
    ...(customCss === undefined ? {} : { customCss }),
    baseDir: dirname(resolve(file)),
  });
  for (const warning of article.warnings) io.stderr(`warning: ${warning.message}\n`);
  const text = options.json ? `${JSON.stringify(article, null, 2)}\n` : options.page ? previewPage(article) : `${article.html}\n`;
  if (options.output === undefined) {
    io.stdout(text);
    return;
  }
  await writeFile(options.output, text, 'utf8');
  io.stderr(`${summary(article)} → ${options.output}\n`);
}

async function preview(file: string, options: RenderCommandOptions, io: ArticleCommandIo): Promise<void> {
  // render once first, so a missing file, bad front matter or unknown theme fails here and not in a browser tab
  await render(file, { ...options, output: undefined, json: false, page: false }, { ...io, stdout: () => {} });
  const server = await startPreviewServer({
    file,
    ...(options.theme === undefined ? {} : { theme: options.theme }),
    ...(options.css === undefined ? {} : { cssFile: options.css }),
    ...(options.port === undefined ? {} : { port: options.port }),
  });
  io.stdout(`Preview of ${file}: ${server.url}\n(re-renders on reload and when the file changes; Ctrl-C to stop)\n`);
  try {
    await io.untilStopped();
  } finally {
    await server.close();
  }
}

function summary(article: RenderedArticle): string {
  const kb = (Buffer.byteLength(article.html) / 1024).toFixed(1);
  return `rendered "${article.frontMatter.title ?? '(untitled)'}" with theme ${article.theme}: ${kb} KB, ${article.images.length} image(s), ${article.warnings.length} warning(s)`;
}

function describe(err: unknown, file: string): string {
  if (err instanceof MpgateError) return err.code === 'FRONT_MATTER_INVALID' ? `${file}: ${err.message}` : err.message;
  if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') return 'that port is in use; choose another with --port';
  return err instanceof Error ? err.message : String(err);
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('must be a port number (0-65535)');
  return port;
}
