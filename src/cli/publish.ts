/** `mpgate publish submit|status|list|delete`: publishing drafts and the published articles (reference §7.2). */
import type { Command } from 'commander';
import { publishOutcome, type PublishOutcome } from '../publisher/publish/publish-article.js';
import { readPublishResult } from '../publisher/publish/publish-result.js';
import { ProgressLine } from '../publisher/publish/progress-line.js';
import { waitForPublish, type WaitForPublishOptions } from '../publisher/publish/wait-for-publish.js';
import type { PublishStatus, WeChatClient } from '../wechat-api/index.js';
import type { Store } from '../store/store.js';
import {
  acceptingIds,
  allPages,
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

/** The `--wait` options shared by `publish submit`, `publish status` and `article publish`. */
export interface WaitCliOptions {
  wait?: boolean;
  waitTimeout: number;
  pollInterval: number;
}

/** Adds `--wait`, `--wait-timeout` and `--poll-interval` to a command. */
export function withWaitOptions(cmd: Command): Command {
  return cmd
    .option('--wait', 'wait for the result and print the article URL (or why it failed)')
    .option('--wait-timeout <seconds>', 'give up waiting after this long (the job goes on)', wholeNumberOption, 600)
    .option('--poll-interval <ms>', 'first interval between freepublish/get polls; it doubles up to 60 s (the API allows 100 calls a day)', wholeNumberOption, 3000);
}

/** The polling the `--wait` options ask for. */
export function waitOptionsOf(options: WaitCliOptions): WaitForPublishOptions {
  return {
    timeoutMs: options.waitTimeout * 1000,
    pollMs: options.pollInterval,
    // The recorded PUBLISHJOBFINISH result costs no quota: read it at least every second.
    storePollMs: Math.min(1000, Math.max(10, options.pollInterval)),
  };
}

/** Registers `mpgate publish …`. */
export function registerPublishCommands(program: Command, io: PublisherCommandIo = processIo): Command {
  const publish = program.command('publish').description('publish drafts (submit | status | list | delete)');

  withWaitOptions(
    withAccountOptions(acceptingIds(publish.command('submit')).description('submit a draft for publishing (the draft leaves the draft box once published)').argument('<draft_media_id>', 'the draft id')),
  ).action(async (draftId: string, options: AccountOptions & WaitCliOptions) => {
    await runWithAccount(io, 'publish submit', options, async ({ client, store }) => {
      const submitted = await client.freepublish.submit(draftId);
      if (!options.wait) {
        if (options.json) return printJson(io, { publish_id: submitted.publish_id, msg_data_id: submitted.msg_data_id ?? null, state: 'submitted' });
        io.stdout(`submitted: publish_id ${submitted.publish_id}\ncheck it with: mpgate publish status ${submitted.publish_id}\n`);
        return;
      }
      if (!options.json) io.stderr(`submitted: publish_id ${submitted.publish_id}\n`);
      const outcome = await waitAndDescribe(io, client, store, submitted.publish_id, options);
      if (options.json) printJson(io, outcome);
      return printOutcome(io, outcome, options.json === true);
    }, [draftId]);
  });

  withWaitOptions(
    withAccountOptions(
      acceptingIds(publish.command('status')).description('where a publish job stands (the recorded PUBLISHJOBFINISH result, else freepublish/get)').argument('<publish_id>', 'from publish submit'),
    ),
  ).action(async (publishId: string, options: AccountOptions & WaitCliOptions) => {
    await runWithAccount(io, 'publish status', options, async ({ client, store }) => {
      let outcome: PublishOutcome;
      if (options.wait) {
        outcome = await waitAndDescribe(io, client, store, publishId, options);
      } else {
        const recorded = await readPublishResult(store, client.appId, publishId);
        const status: PublishStatus = recorded ?? (await client.freepublish.get(publishId));
        outcome = publishOutcome(status, recorded ? 'event' : 'poll');
      }
      if (options.json) printJson(io, outcome);
      return printOutcome(io, outcome, options.json === true);
    }, [publishId]);
  });

  withAccountOptions(
    publish
      .command('list')
      .description('list published articles, newest first')
      .option('--offset <n>', 'start at this position', wholeNumberOption, 0)
      .option('--count <n>', 'how many (1-20)', pageCountOption, 20)
      .option('--all', 'every published article from --offset on (pages through the list)'),
  ).action(async (options: AccountOptions & { offset: number; count: number; all?: boolean }) => {
    await runWithAccount(io, 'publish list', options, async ({ client }) => {
      const page = options.all
        ? await allPages(options.offset, (offset, count) => client.freepublish.batchget({ offset, count, no_content: 1 }))
        : await client.freepublish.batchget({ offset: options.offset, count: options.count, no_content: 1 }).then((p) => ({ total: p.total_count, items: p.item }));
      if (options.json) return printJson(io, { total_count: page.total, item: page.items });
      io.stdout(`${page.total} published${page.items.length < page.total ? ` (showing ${page.items.length} from ${options.offset})` : ''}\n`);
      for (const item of page.items) {
        io.stdout(`${item.article_id}  ${formatTime(item.update_time)}\n`);
        for (const [i, article] of item.content.news_item.entries()) {
          io.stdout(`  ${i + 1}. ${article.title}${article.is_deleted ? ' (deleted)' : ''}${article.url ? `  ${article.url}` : ''}\n`);
        }
      }
    });
  });

  withAccountOptions(
    acceptingIds(publish.command('delete'))
      .description('delete a published article (irreversible)')
      .argument('<article_id>', 'from publish status or publish list')
      .option('--index <n>', 'only the n-th article (1-based); default: all of them', wholeNumberOption, 0),
  ).action(async (articleId: string, options: AccountOptions & { index: number }) => {
    await runWithAccount(io, 'publish delete', options, async ({ client }) => {
      await client.freepublish.delete(articleId, options.index);
      if (options.json) return printJson(io, { article_id: articleId, index: options.index, deleted: true });
      io.stdout(`deleted ${options.index === 0 ? 'every article of' : `article ${options.index} of`} ${articleId}\n`);
    }, [articleId]);
  });
  return publish;
}

/** Waits for a job with a progress line on stderr and returns its outcome. */
export async function waitAndDescribe(
  io: PublisherCommandIo,
  client: WeChatClient,
  store: Store,
  publishId: string,
  options: WaitCliOptions & { json?: boolean },
  files: readonly string[] = [],
): Promise<PublishOutcome> {
  const progress = new ProgressLine(io.stderr, io.isTTY, io.columns);
  const started = Date.now();
  try {
    const finished = await waitForPublish(client, store, publishId, {
      ...waitOptionsOf(options),
      onStatus: (status, source) => {
        if (status.publish_status === 1) progress.update(`publish ${publishId}: publishing… (${Math.round((Date.now() - started) / 1000)} s, ${source === 'poll' ? 'polled' : 'event'})`);
      },
    });
    return publishOutcome(finished.status, finished.source, files);
  } finally {
    progress.clear();
  }
}

/** Prints a publish job's outcome; returns the exit code (1 when it failed). */
export function printOutcome(io: PublisherCommandIo, outcome: PublishOutcome, json: boolean): number {
  const code = outcome.state === 'failed' ? 1 : 0;
  if (json) {
    if (code !== 0) io.stderr(`publish ${outcome.publishId} failed: ${outcome.message}\n`);
    return code;
  }
  if (outcome.state === 'published') {
    io.stdout(`published: publish_id ${outcome.publishId}${outcome.status?.article_id ? `, article_id ${outcome.status.article_id}` : ''}\n`);
    for (const url of outcome.urls) io.stdout(`${url}\n`);
  } else if (outcome.state === 'failed') {
    io.stderr(`publish ${outcome.publishId} failed: ${outcome.message}\n`);
  } else {
    io.stdout(`publish ${outcome.publishId}: ${outcome.message}\n`);
  }
  return code;
}
