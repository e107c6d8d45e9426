/**
 * Images and files in an AI answer, made into what a WeChat follower can receive: Dify's files (`message_file`
 * events, `message_end.files`, workflow file outputs) and Markdown images pointing at Dify files are downloaded and
 * uploaded as temporary media, then delivered as image messages; when that is impossible (no AppSecret, over
 * 2 MB, a format WeChat refuses, a failed transfer, not an image) they stay in the text as a link.
 */
import type { Logger } from 'pino';
import { detectFormat, EXTENSIONS, MIME_TYPES, SNIFF_BYTES } from '../wechat/media-format.js';
import { shapeAnswer } from './answer-text.js';
import type { AiAnswer } from './dify-answerer.js';
import { displayUrl, type MediaFile } from './file-download.js';
import type { OutMessage } from './out-message.js';

/** Temporary images over this size are refused by WeChat in practice (40006; reference §6.1): sent as links. */
export const ANSWER_IMAGE_LIMIT_BYTES = 2 * 1024 * 1024;
/** At most this many media messages per answer: 客服 allows 5 messages per follower message. */
export const MAX_ANSWER_MEDIA = 4;

/** What turning files into media needs. */
export interface RichAnswerTools {
  /** The absolute URL of a file link in an answer (a relative `/files/…` resolved against Dify), or undefined. */
  resolve(url: string): string | undefined;
  /** Whether an absolute URL is one of the app's files; other Markdown images stay links. */
  isAppFile(url: string): boolean;
  download(url: string, maxBytes: number): Promise<MediaFile>;
  /** Uploads an image as temporary media, returning its media id; absent when the account has no AppSecret. */
  uploadImage?: ((file: MediaFile) => Promise<string>) | undefined;
}

/** An answer ready for WeChat: its text (links for what could not become media) and its media messages. */
export interface RichAnswer {
  text: string;
  media: OutMessage[];
}

interface Candidate {
  absolute: string;
  image: boolean;
  /** For Markdown images: what the flattening wrote into the text (`[alt] url`), and its parts. */
  inText?: { written: string; alt: string; url: string };
  name: string;
}

const IMAGE_EXTENSIONS = /\.(png|jpe?g|gif|webp|bmp|svg)$/i;
const withoutQuery = (url: string): string => url.split(/[?#]/)[0] ?? url;

/** Dify's file type decides; without one, the MIME type or the extension. */
function fileImage(file: AiAnswer['files'][number]): boolean {
  if (file.type) return file.type === 'image';
  return (file.mimeType ?? '').startsWith('image/') || IMAGE_EXTENSIONS.test(withoutQuery(file.url ?? file.filename ?? ''));
}

/** The files of an answer worth delivering, in order, each once (an image is often both a message_file and in the Markdown). */
function candidates(answer: AiAnswer, images: ReturnType<typeof shapeAnswer>['images'], tools: RichAnswerTools | undefined): Candidate[] {
  const found = new Map<string, Candidate>();
  for (const file of answer.files) {
    if (file.belongsTo === 'user' || !file.url) continue; // the follower's own upload, echoed back
    const absolute = tools?.resolve(file.url) ?? (/^https?:\/\//i.test(file.url) ? file.url : undefined);
    if (!absolute || found.has(withoutQuery(absolute))) continue;
    found.set(withoutQuery(absolute), { absolute, image: fileImage(file), name: file.filename ?? '文件' });
  }
  for (const image of images) {
    const absolute = tools?.resolve(image.url);
    if (!absolute) continue;
    const key = withoutQuery(absolute);
    const known = found.get(key);
    const inText = { written: `[${image.alt}] ${image.url}`, alt: image.alt, url: image.url };
    if (known) known.inText ??= inText;
    else if (tools?.isAppFile(absolute)) found.set(key, { absolute, image: true, inText, name: image.alt });
  }
  return [...found.values()];
}

/** Downloads an image and uploads it as temporary media; undefined (with a log line) when it cannot. */
async function toImageMessage(c: Candidate, tools: RichAnswerTools, upload: (file: MediaFile) => Promise<string>, log: Logger | undefined): Promise<OutMessage | undefined> {
  try {
    const file = await tools.download(c.absolute, ANSWER_IMAGE_LIMIT_BYTES);
    const format = detectFormat(file.data.subarray(0, SNIFF_BYTES));
    if (format !== 'jpeg' && format !== 'png' && format !== 'gif') {
      log?.info({ url: displayUrl(c.absolute), format: format ?? 'unknown' }, 'answer image in a format WeChat does not take; sent as a link');
      return undefined;
    }
    const mediaId = await upload({ data: file.data, contentType: MIME_TYPES[format], filename: `image.${EXTENSIONS[format][0]}` });
    return { type: 'image', mediaId };
  } catch (err) {
    log?.warn({ err, url: displayUrl(c.absolute) }, 'answer image could not become WeChat media; sent as a link');
    return undefined;
  }
}

/**
 * Shapes an answer (Markdown → text, `<think>` removed) and turns its files into media messages. Never throws:
 * whatever cannot be delivered as media is left (or added) as a link in the text. `images: false` keeps every
 * file a link.
 */
export async function richAnswer(
  answer: AiAnswer,
  tools: RichAnswerTools | undefined,
  options: { images: boolean; logger?: Logger | undefined },
): Promise<RichAnswer> {
  const shaped = shapeAnswer(answer.text);
  let text = shaped.text;
  const media: OutMessage[] = [];
  const links: string[] = [];
  const upload = options.images ? tools?.uploadImage : undefined;
  for (const c of candidates(answer, shaped.images, tools)) {
    const message = c.image && tools && upload && media.length < MAX_ANSWER_MEDIA ? await toImageMessage(c, tools, upload, options.logger) : undefined;
    if (message) {
      media.push(message);
      if (c.inText) text = text.replace(c.inText.written, () => '');
    } else if (c.inText) {
      // Keep the link, but one the follower can open: relative Dify URLs made absolute.
      const { written, alt, url } = c.inText;
      if (url !== c.absolute) text = text.replace(written, () => `[${alt}] ${c.absolute}`);
    } else {
      links.push(`[${c.name}] ${c.absolute}`);
    }
  }
  if (links.length > 0) text = text ? `${text}\n\n${links.join('\n')}` : links.join('\n');
  return { text: tidy(text), media };
}

/** Removes the gaps left where images were taken out of the text. */
function tidy(text: string): string {
  return text
    .split('\n')
    .map((line) => (line.trim() === '' || line.trim() === '•' ? '' : line.trimEnd()))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
