/** `mpgate material upload|list|get|delete|count`: the account's permanent materials (reference §6.2). */
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Option, type Command } from 'commander';
import { fitImage } from '../publisher/publish/image-fit.js';
import { ImageUploadCache } from '../publisher/publish/image-upload-cache.js';
import { loadImage } from '../publisher/publish/image-source.js';
import { ProgressLine } from '../publisher/publish/progress-line.js';
import { extensionOf, formatOfExtension } from '../wechat/media-format.js';
import type { MaterialListItem, MaterialListType, NewMaterial, WeChatClient } from '../wechat-api/index.js';
import {
  deleteEach,
  acceptingIds,
  allPages,
  errorJson,
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

type MaterialType = NewMaterial['type'];

interface UploadOptions extends AccountOptions {
  type?: MaterialType;
  title?: string;
  introduction?: string;
  fit?: boolean;
}

interface ListOptions extends AccountOptions {
  type: MaterialListType;
  offset: number;
  count: number;
  all?: boolean;
}

/** One file of a batch upload: its material, or why it failed. */
interface UploadOutcome {
  file: string;
  ok: boolean;
  type?: MaterialType;
  media_id?: string;
  url?: string;
  converted?: string;
  error?: Record<string, unknown>;
}

/** Registers `mpgate material …`. */
export function registerMaterialCommands(program: Command, io: PublisherCommandIo = processIo): Command {
  const material = program.command('material').description('manage permanent materials (upload | list | get | delete | count)');

  withAccountOptions(
    material
      .command('upload')
      .description('upload files as permanent material; a bad file is reported at the end and the others still go up')
      .argument('<files...>', 'image (jpg, png, gif, bmp), voice (mp3, wma, wav, amr) or video (mp4) files')
      .addOption(new Option('-t, --type <type>', 'material type (default: from each file\'s extension)').choices(['image', 'thumb', 'voice', 'video']))
      .option('--title <text>', 'video title (required for videos)')
      .option('--introduction <text>', 'video introduction', '')
      .option('--fit', 'convert and shrink images that break the limits (thumb: JPEG ≤ 64 KB; image: ≤ 10 MB)'),
  ).action(async (files: string[], options: UploadOptions) => {
    await runWithAccount(io, 'material upload', options, async ({ client }) => uploadAll(io, client, files, options));
  });

  withAccountOptions(
    material
      .command('list')
      .description('list materials of one type, newest first')
      .addOption(new Option('-t, --type <type>', 'material type').choices(['image', 'video', 'voice', 'news']).default('image'))
      .option('--offset <n>', 'start at this position', wholeNumberOption, 0)
      .option('--count <n>', 'how many (1-20)', pageCountOption, 20)
      .option('--all', 'every material from --offset on (pages through the list)'),
  ).action(async (options: ListOptions) => {
    await runWithAccount(io, 'material list', options, async ({ client }) => {
      const page = options.all
        ? await allPages(options.offset, (offset, count) => client.material.batchget({ type: options.type, offset, count }))
        : await client.material.batchget({ type: options.type, offset: options.offset, count: options.count }).then((p) => ({ total: p.total_count, items: p.item }));
      if (options.json) return printJson(io, { type: options.type, total_count: page.total, item: page.items });
      io.stdout(`${page.total} ${options.type} material${page.total === 1 ? '' : 's'}${page.items.length < page.total ? ` (showing ${page.items.length} from ${options.offset})` : ''}\n`);
      for (const item of page.items) io.stdout(`${materialLine(item)}\n`);
    });
  });

  withAccountOptions(
    acceptingIds(material.command('get'))
      .description('show a material; images, voice and files are saved with -o')
      .argument('<media_id>', 'the material id')
      .option('-o, --output <file>', 'save the file\'s bytes here'),
  ).action(async (mediaId: string, options: AccountOptions & { output?: string }) => {
    await runWithAccount(io, 'material get', options, async ({ client }) => {
      const content = await client.material.get(mediaId);
      if (content.kind === 'file') {
        if (options.output !== undefined) await writeFile(options.output, content.data);
        const info = { media_id: mediaId, kind: 'file', content_type: content.contentType, size: content.data.byteLength, filename: content.filename ?? null, ...(options.output ? { saved_to: options.output } : {}) };
        if (options.json) return printJson(io, info);
        io.stdout(`${mediaId}: ${content.contentType}, ${content.data.byteLength} bytes${content.filename ? ` (${content.filename})` : ''}\n`);
        io.stdout(options.output ? `saved to ${options.output}\n` : 'use -o FILE to save it\n');
        return;
      }
      if (options.json) return printJson(io, { media_id: mediaId, ...content });
      if (content.kind === 'video') {
        io.stdout(`video: ${content.title}\n${content.description ? `${content.description}\n` : ''}download: ${content.down_url}\n`);
        return;
      }
      for (const [i, article] of content.news_item.entries()) io.stdout(`${i + 1}. ${article.title}${article.url ? `  ${article.url}` : ''}\n`);
    }, [mediaId]);
  });

  withAccountOptions(
    acceptingIds(material.command('delete')).description('delete materials for good (48005 while a menu or auto-reply uses one)').argument('<media_ids...>', 'material ids'),
  ).action(async (mediaIds: string[], options: AccountOptions) => {
    await runWithAccount(io, 'material delete', options, async ({ client, store }) => {
      const cache = new ImageUploadCache({ client, store });
      return deleteEach(io, 'material delete', mediaIds, options, async (id) => {
        await client.material.del(id);
        // The publisher must not hand out a cover that no longer exists.
        await cache.forgetMaterial(id);
      });
    }, mediaIds);
  });

  withAccountOptions(material.command('count').description('how many materials of each type the account holds')).action(async (options: AccountOptions) => {
    await runWithAccount(io, 'material count', options, async ({ client }) => {
      const counts = await client.material.count();
      if (options.json) return printJson(io, counts);
      io.stdout(`image: ${counts.image_count}\nvoice: ${counts.voice_count}\nvideo: ${counts.video_count}\nnews:  ${counts.news_count}\n`);
    });
  });
  return material;
}

async function uploadAll(io: PublisherCommandIo, client: WeChatClient, files: string[], options: UploadOptions): Promise<number> {
  const progress = new ProgressLine(io.stderr, io.isTTY, io.columns);
  const outcomes: UploadOutcome[] = [];
  for (const [i, file] of files.entries()) {
    if (files.length > 1) progress.update(`[${i + 1}/${files.length}] uploading ${file}`);
    try {
      const outcome = await uploadOne(client, file, options);
      outcomes.push(outcome);
      progress.clear();
      if (!options.json) io.stdout(`${file} → ${outcome.type} ${outcome.media_id}${outcome.url ? `  ${outcome.url}` : ''}${outcome.converted ? `  (converted: ${outcome.converted})` : ''}\n`);
    } catch (error) {
      progress.clear();
      const json = errorJson(error);
      // WeChatUploadError messages start with the file's name already.
      const message = String(json.message).replace(`${basename(file)}: `, '');
      outcomes.push({ file, ok: false, error: { ...json, message } });
      if (!options.json) io.stderr(`${file}: failed\n`);
    }
  }
  progress.clear();
  const failed = outcomes.filter((o) => !o.ok);
  if (options.json) printJson(io, { uploaded: outcomes.filter((o) => o.ok), failed });
  if (failed.length > 0) {
    io.stderr(`mpgate material upload: ${failed.length} of ${files.length} file${files.length === 1 ? '' : 's'} failed:\n`);
    for (const f of failed) io.stderr(`  ${f.file}: ${String(f.error?.message ?? 'failed')}\n`);
    return 1;
  }
  return 0;
}

async function uploadOne(client: WeChatClient, file: string, options: UploadOptions): Promise<UploadOutcome> {
  const type = options.type ?? typeFromExtension(file);
  if (type === 'video') {
    if (!options.title) throw new Error('a video needs --title (and optionally --introduction): WeChat requires its description');
    const added = await client.material.add({ type, file, description: { title: options.title, introduction: options.introduction ?? '' } });
    return { file, ok: true, type, media_id: added.media_id };
  }
  if (options.fit && (type === 'image' || type === 'thumb')) {
    const fitted = await fitImage(await loadImage(file), type);
    const added = await client.material.add({ type, file: { data: fitted.bytes, filename: fitted.filename } });
    return { file, ok: true, type, media_id: added.media_id, ...(added.url ? { url: added.url } : {}), ...(fitted.note ? { converted: fitted.note } : {}) };
  }
  const added = await client.material.add({ type, file });
  return { file, ok: true, type, media_id: added.media_id, ...(added.url ? { url: added.url } : {}) };
}

/** WeChat infers a material's type from its extension; so does this command, unless --type says otherwise. */
function typeFromExtension(file: string): MaterialType {
  const ext = extensionOf(basename(file));
  const format = ext === undefined ? undefined : formatOfExtension(ext);
  if (format === 'jpeg' || format === 'png' || format === 'gif' || format === 'bmp') return 'image';
  if (format === 'mp3' || format === 'wma' || format === 'wav' || format === 'amr') return 'voice';
  if (format === 'mp4') return 'video';
  throw new Error(`cannot tell the material type from the extension${ext ? ` .${ext}` : ' (there is none)'}; use jpg/png/gif/bmp, mp3/wma/wav/amr or mp4, or pass --type`);
}

function materialLine(item: MaterialListItem): string {
  const titles = item.content?.news_item.map((a) => a.title).join(' | ');
  return [item.media_id, formatTime(item.update_time), item.name ?? titles ?? '', item.url ?? ''].filter((s) => s !== '').join('  ');
}
