/** `mpgate draft list|get|delete`: the account's draft box (reference §7.1). */
import type { Command } from 'commander';
import { DraftMemory } from '../publisher/publish/draft-memory.js';
import type { StoredArticle } from '../wechat-api/index.js';
import {
  acceptingIds,
  allPages,
  deleteEach,
  formatTime,
  pageCountOption,
  printJson,
  processIo,
  runWithAccount,
  wholeNumberOption,
  withAccountOptions,
  type AccountOptions,
  type PublisherCommandIo,
} from './wechat-account.js';

interface ListOptions extends AccountOptions {
  offset: number;
  count: number;
  all?: boolean;
}

/** Registers `mpgate draft …`. */
export function registerDraftCommands(program: Command, io: PublisherCommandIo = processIo): Command {
  const draft = program.command('draft').description('manage drafts (list | get | delete)');

  withAccountOptions(
    draft
      .command('list')
      .description('list drafts, most recently updated first (without their HTML)')
      .option('--offset <n>', 'start at this position', wholeNumberOption, 0)
      .option('--count <n>', 'how many (1-20)', pageCountOption, 20)
      .option('--all', 'every draft from --offset on (pages through the list)'),
  ).action(async (options: ListOptions) => {
    await runWithAccount(io, 'draft list', options, async ({ client }) => {
      const page = options.all
        ? await allPages(options.offset, (offset, count) => client.draft.batchget({ offset, count, no_content: 1 }))
        : await client.draft.batchget({ offset: options.offset, count: options.count, no_content: 1 }).then((p) => ({ total: p.total_count, items: p.item }));
      if (options.json) return printJson(io, { total_count: page.total, item: page.items });
      io.stdout(`${page.total} draft${page.total === 1 ? '' : 's'}${page.items.length < page.total ? ` (showing ${page.items.length} from ${options.offset})` : ''}\n`);
      for (const item of page.items) {
        io.stdout(`${item.media_id}  ${formatTime(item.update_time)}  ${item.content.news_item.map((a) => a.title).join(' | ')}\n`);
      }
    });
  });

  withAccountOptions(acceptingIds(draft.command('get').description("show a draft's articles and their preview links").argument('<media_id>', 'the draft id'))).action(
    async (mediaId: string, options: AccountOptions) => {
      await runWithAccount(io, 'draft get', options, async ({ client }) => {
        const stored = await client.draft.get(mediaId);
        if (options.json) return printJson(io, { media_id: mediaId, ...stored });
        io.stdout(`draft ${mediaId}: ${stored.news_item.length} article${stored.news_item.length === 1 ? '' : 's'}\n`);
        for (const [i, article] of stored.news_item.entries()) io.stdout(articleLines(i, article));
      }, [mediaId]);
    },
  );

  withAccountOptions(acceptingIds(draft.command('delete').description('delete drafts for good').argument('<media_ids...>', 'draft ids'))).action(
    async (mediaIds: string[], options: AccountOptions) => {
      await runWithAccount(io, 'draft delete', options, async ({ client, store }) => {
        const memory = new DraftMemory(store, client.appId);
        return deleteEach(io, 'draft delete', mediaIds, options, async (id) => {
          await client.draft.delete(id);
          // `article publish` of the same files then starts a new draft instead of trying this one.
          await memory.forgetDraft(id);
        });
      }, mediaIds);
    },
  );
  return draft;
}

function articleLines(index: number, article: StoredArticle): string {
  const lines = [`${index + 1}. ${article.title}${article.article_type === 'newspic' ? ' (image post)' : ''}`];
  if (article.author) lines.push(`   author:  ${article.author}`);
  if (article.digest) lines.push(`   digest:  ${article.digest}`);
  if (article.content_source_url) lines.push(`   source:  ${article.content_source_url}`);
  if (article.thumb_media_id) lines.push(`   cover:   ${article.thumb_media_id}`);
  if (article.image_info) lines.push(`   images:  ${article.image_info.image_list.length}`);
  lines.push(`   content: ${(article.content ?? '').length} characters of HTML`);
  if (article.url) lines.push(`   preview: ${article.url}`);
  return `${lines.join('\n')}\n`;
}
