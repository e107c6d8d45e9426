/**
 * The media a follower sends, made into something the AI app takes: an image becomes a Dify file (uploaded as
 * `local_file`, or by `remote_url` when uploading is not possible), a voice message becomes text (Dify's speech to
 * text; WeChat gives AMR, sent as `audio/amr`). Runs in the worker, never on the webhook path.
 */
import type { Logger } from 'pino';
import type { MediaConfig } from '../config/account-schema.js';
import type { Owner } from '../store/store.js';
import type { WeChatClient } from '../wechat-api/client.js';
import { detectFormat, EXTENSIONS, extensionOf, SNIFF_BYTES } from '../wechat/media-format.js';
import type { AiApp, AiFile } from './ai-app.js';
import { downloadFile, type MediaFile } from './file-download.js';

export interface InboundMediaTools {
  /** Absent when a replacement answerer stands in for Dify. */
  app: AiApp | undefined;
  /** Absent when the account has no AppSecret. */
  wechat: WeChatClient | undefined;
  media: MediaConfig;
  logger?: Logger | undefined;
}

/** A follower's file from WeChat (`media/get`); throws when WeChat answers something else than a file. */
async function wechatFile(wechat: WeChatClient, mediaId: string, timeoutMs: number): Promise<MediaFile> {
  const got = await wechat.media.get(mediaId, { timeoutMs });
  if (got.kind !== 'file') throw new Error('media/get answered a video URL, not a file');
  return { data: got.data, contentType: got.contentType, filename: got.filename };
}

/** The image's bytes: `media/get` when the account has API access, else (or when that fails) its PicUrl. */
async function imageBytes(image: { mediaId: string; picUrl: string }, tools: InboundMediaTools, maxBytes: number): Promise<MediaFile> {
  const { media } = tools;
  if (tools.wechat && image.mediaId) {
    try {
      return await wechatFile(tools.wechat, image.mediaId, media.downloadTimeoutMs);
    } catch (err) {
      if (!image.picUrl) throw err;
      tools.logger?.info({ err }, 'media/get failed for an image; trying its PicUrl');
    }
  }
  return downloadFile(image.picUrl, { maxBytes, timeoutMs: media.downloadTimeoutMs });
}

/** A name Dify accepts for the image: the extension of its real format (Dify checks extensions, not bytes). */
function imageFilename(file: MediaFile): string {
  const format = detectFormat(file.data.subarray(0, SNIFF_BYTES));
  if (format) return `image.${EXTENSIONS[format][0]}`;
  const ext = file.filename ? extensionOf(file.filename) : undefined;
  return `image.${ext ?? 'jpg'}`;
}

/**
 * The `files` for an image message, or undefined when the AI should get it described in text instead: the app
 * takes no images (or `media.images: text`), no AI app is known, or neither upload nor remote URL is possible.
 */
export async function imageFiles(owner: Owner, image: { mediaId: string; picUrl: string }, tools: InboundMediaTools): Promise<AiFile[] | undefined> {
  const { app, media, logger } = tools;
  if (media.images === 'text' || !app) return undefined;
  const features = await app.features();
  const intake = features?.images;
  if (!features || !intake) return undefined;
  if (intake.localFile) {
    try {
      const limit = Math.min(features.imageLimitBytes, media.maxDownloadBytes);
      const file = await imageBytes(image, tools, limit);
      if (file.data.byteLength > limit) throw new Error(`the image has ${file.data.byteLength} bytes, over the ${limit}-byte limit`);
      const id = await app.upload(owner, { ...file, filename: imageFilename(file) });
      return [{ type: 'image', transfer_method: 'local_file', upload_file_id: id }];
    } catch (err) {
      logger?.warn({ err, account: owner.account }, 'could not upload the follower image to the AI app');
    }
  }
  if (intake.remoteUrl && image.picUrl) return [{ type: 'image', transfer_method: 'remote_url', url: image.picUrl }];
  return undefined;
}

/**
 * The text of a voice message through the app's speech to text, or undefined when it cannot be had: no AppSecret
 * (no download), no AI app, speech to text off in the app, a failure, or nothing recognised.
 */
export async function voiceText(owner: Owner, voice: { mediaId: string }, tools: InboundMediaTools): Promise<string | undefined> {
  const { app, wechat, logger } = tools;
  if (!app || !wechat) return undefined;
  const features = await app.features();
  if (!features?.speechToText) {
    logger?.info({ account: owner.account }, 'voice message without recognition and speech to text is off in the AI app');
    return undefined;
  }
  try {
    const file = await wechatFile(wechat, voice.mediaId, tools.media.downloadTimeoutMs);
    // media/get gives 8 kHz AMR whatever the Format (reference §2.1); Dify takes it as audio/amr.
    const text = await app.transcribe(owner, { data: file.data, contentType: 'audio/amr', filename: 'voice.amr' });
    return text.trim() || undefined;
  } catch (err) {
    logger?.warn({ err, account: owner.account }, 'could not transcribe a voice message');
    return undefined;
  }
}
