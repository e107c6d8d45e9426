/**
 * `mpgate article publish FILE.md…`: Markdown files → one draft (updated when the same files are published
 * again), optionally submitted and waited for. Registered on the `article` command group by `src/cli/article.ts`.
 */
import { Option, type Command } from 'commander';
import { readArticleSource } from '../publisher/render/index.js';
import { themeNames } from '../publisher/themes/index.js';
import { publishArticle, type PublishArticleResult, type PublishProgress } from '../publisher/publish/publish-article.js';
import { ProgressLine } from '../publisher/publish/progress-line.js';
import { printOutcome, waitOptionsOf, withWaitOptions, type WaitCliOptions } from './publish.js';
import { printJson, processIo, runWithAccount, withAccountOptions, type AccountOptions, type PublisherCommandIo } from './wechat-account.js';

interface PublishCommandOptions extends AccountOptions, WaitCliOptions {
  submit?: boolean;
  new?: boolean;
  theme?: string;
  css?: string;
  coverType: 'image' | 'thumb';
  newspic?: boolean;
}

/** Registers `publish` on the `mpgate article` command group. */
export function registerArticlePublishCommand(articleCmd: Command, io: PublisherCommandIo = processIo): Command {
  const cmd = withWaitOptions(
    withAccountOptions(
      articleCmd
        .command('publish')
        .description('upload the images, then create or update the draft of these Markdown files (several files = one multi-article draft)')
        .argument('<files...>', 'Markdown files, one article each (front matter: title, author, digest, cover, source_url, comments, theme)')
        .option('--submit', 'submit the draft for publishing')
        .option('--new', 'create a new draft even if these files were published before')
        .option('--theme <name>', `theme (${themeNames().join(', ')}); overrides the front matter`)
        .option('--css <file>', 'extra CSS applied after the theme')
        .addOption(new Option('--cover-type <type>', 'cover material: image (as is) or thumb (JPEG ≤ 64 KB)').choices(['image', 'thumb']).default('image'))
        .option('--newspic', 'make image posts (贴图): the pictures of each file, with its text'),
    ),
  );
  cmd.action(async (files: string[], options: PublishCommandOptions) => {
    await runWithAccount(io, 'article publish', options, async ({ client, store, config }) => {
      if (config.store.driver === 'memory') {
        io.stderr('warning: store.driver is memory: uploads and the file → draft mapping are forgotten when this command ends\n');
      }
      const progress = new ProgressLine(io.stderr, io.isTTY, io.columns);
      const customCss = options.css === undefined ? undefined : await readArticleSource(options.css);
      const started = Date.now();
      let result: PublishArticleResult;
      try {
        result = await publishArticle({
          client,
          store,
          files,
          ...(options.theme === undefined ? {} : { theme: options.theme }),
          ...(customCss === undefined ? {} : { customCss }),
          newDraft: options.new === true,
          newspic: options.newspic === true,
          coverType: options.coverType,
          submit: options.submit === true,
          ...(options.wait ? { wait: waitOptionsOf(options) } : {}),
          onProgress: (event) => {
            const line = progressText(event, started);
            if (line !== undefined) progress.update(line);
          },
        });
      } finally {
        progress.clear();
      }
      if (options.json) printJson(io, result);
      else printResult(io, result);
      if (!result.publish) return 0;
      const code = printOutcome(io, result.publish, options.json === true);
      // --wait that gave up while the job was still publishing did not deliver what was asked.
      return result.publish.state === 'publishing' ? 1 : code;
    });
  });
  return cmd;
}

function progressText(event: PublishProgress, started: number): string | undefined {
  switch (event.step) {
    case 'render':
      return event.total > 1 ? `[${event.index + 1}/${event.total}] rendering ${event.file}` : `rendering ${event.file}`;
    case 'load-images':
      return event.total > 0 ? `reading ${event.total} image${event.total === 1 ? '' : 's'}` : undefined;
    case 'image':
      return `[${event.done}/${event.total}] image ${event.source} ${event.uploaded ? 'uploaded' : 'cached'}`;
    case 'cover':
      return `cover ${event.source} ${event.uploaded ? 'uploaded' : 'cached'}`;
    case 'draft':
      return event.action === 'update' ? `updating draft ${event.mediaId ?? ''}` : 'creating draft';
    case 'submit':
      return `submitted: publish_id ${event.publishId}`;
    case 'wait':
      return event.status === 1 ? `publish ${event.publishId}: publishing… (${Math.round((Date.now() - started) / 1000)} s, ${event.source === 'poll' ? 'polled' : 'event'})` : undefined;
  }
}

function printResult(io: PublisherCommandIo, result: PublishArticleResult): void {
  const { draft } = result;
  const n = result.articles.length;
  const replaced = draft.replaced ? ` (the earlier draft ${draft.replaced} could not be updated: it was deleted, published, or has another article count)` : '';
  io.stdout(`draft ${draft.action}: ${draft.mediaId} (${n} article${n === 1 ? '' : 's'})${replaced}\n`);
  for (const [i, a] of result.articles.entries()) {
    const cover = a.cover ? `, cover ${a.cover.uploaded ? 'uploaded' : 'cached'}` : '';
    io.stdout(`  ${i + 1}. ${a.title} — ${a.file} (${a.type === 'newspic' ? 'image post, ' : ''}${a.images} image${a.images === 1 ? '' : 's'}${cover})\n`);
  }
  io.stdout(`images: ${result.uploads.uploaded} uploaded, ${result.uploads.cached} from the cache\n`);
  for (const a of result.articles) for (const w of a.warnings) io.stderr(`warning: ${a.file}: ${w}\n`);
}
