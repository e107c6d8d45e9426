/**
 * WeChat's upload limits (reference wechat-platform.md §6), checked before any request so that a file WeChat
 * would refuse costs no quota and fails with a message naming the file and the limit it breaks.
 * Pure: callers pass the file's name, size and first bytes.
 */
import { WeChatUploadError } from './errors.js';
import { EXTENSIONS, MIME_TYPES, detectFormat, extensionOf, formatOfExtension, type MediaFormat } from '../wechat/media-format.js';

export type MediaType = 'image' | 'voice' | 'video' | 'thumb';

export interface UploadLimit {
  /** How the limit is named in errors: `image`, `permanent voice`, `article image` … */
  kind: string;
  /** Largest accepted size in bytes (inclusive). */
  maxBytes: number;
  /** The limit as WeChat states it, e.g. `10 MB`. */
  label: string;
  /** Accepted formats, checked against the content (magic bytes) and the filename extension. */
  formats: readonly MediaFormat[];
}

const KB = 1024;
const MB = 1024 * 1024;

/**
 * `media/upload` (valid 3 days). The image limit follows the doc's list (10 MB); the same page's summary says
 * 2 MB and WeChat has been seen answering 40006 above 2 MB — that answer carries a hint saying so.
 */
export const TEMPORARY_MEDIA_LIMITS: Readonly<Record<MediaType, UploadLimit>> = {
  image: { kind: 'image', maxBytes: 10 * MB, label: '10 MB', formats: ['png', 'jpeg', 'gif'] },
  voice: { kind: 'voice', maxBytes: 2 * MB, label: '2 MB', formats: ['amr', 'mp3'] },
  video: { kind: 'video', maxBytes: 10 * MB, label: '10 MB', formats: ['mp4'] },
  thumb: { kind: 'thumb', maxBytes: 64 * KB, label: '64 KB', formats: ['jpeg'] },
};

/** `material/add_material` (permanent). */
export const PERMANENT_MATERIAL_LIMITS: Readonly<Record<MediaType, UploadLimit>> = {
  image: { kind: 'permanent image', maxBytes: 10 * MB, label: '10 MB', formats: ['bmp', 'png', 'jpeg', 'gif'] },
  voice: { kind: 'permanent voice', maxBytes: 2 * MB, label: '2 MB', formats: ['mp3', 'wma', 'wav', 'amr'] },
  video: { kind: 'permanent video', maxBytes: 10 * MB, label: '10 MB', formats: ['mp4'] },
  thumb: { kind: 'permanent thumb', maxBytes: 64 * KB, label: '64 KB', formats: ['jpeg'] },
};

/** `media/uploadimg` (images inside articles): jpg/png, under 1 MB. */
export const ARTICLE_IMAGE_LIMIT: Readonly<UploadLimit> = {
  kind: 'article image',
  maxBytes: MB - 1,
  label: '1 MB',
  formats: ['jpeg', 'png'],
};

/** What to send once a file passes: the filename (extension added when missing), its format and MIME type. */
export interface AcceptedUpload {
  filename: string;
  format: MediaFormat;
  contentType: string;
}

/** A byte count as people read it: `12.0 MB`, `80.0 KB`, `12 bytes`. */
export function formatSize(bytes: number): string {
  if (bytes >= MB) return `${(bytes / MB).toFixed(1)} MB`;
  if (bytes >= KB) return `${(bytes / KB).toFixed(1)} KB`;
  return `${bytes} bytes`;
}

/** Throws WeChatUploadError when `size` is zero or over the limit. */
export function checkUploadSize(filename: string, size: number, limit: UploadLimit): void {
  if (size === 0) {
    throw new WeChatUploadError({ file: filename, kind: limit.kind, reason: 'empty', message: `the file is empty`, sizeBytes: 0 });
  }
  if (size > limit.maxBytes) {
    throw new WeChatUploadError({
      file: filename,
      kind: limit.kind,
      reason: 'size',
      message: `${formatSize(size)} exceeds the ${limit.label} limit for ${limit.kind}`,
      limitBytes: limit.maxBytes,
      sizeBytes: size,
    });
  }
}

function accepted(limit: UploadLimit): string {
  return limit.formats.flatMap((f) => EXTENSIONS[f]).join(', ');
}

/**
 * Checks the content's format (from `head`, the first bytes) and the filename's extension against the limit.
 * WeChat infers the type from the extension, so a missing one is added and a wrong one is refused.
 */
export function checkUploadFormat(filename: string, head: Uint8Array, limit: UploadLimit): AcceptedUpload {
  const format = detectFormat(head);
  const ext = extensionOf(filename);
  if (format === undefined || !limit.formats.includes(format)) {
    const what = format ? `a ${format.toUpperCase()} file` : ext ? `not a recognisable ${ext} file` : 'of an unrecognised format';
    throw new WeChatUploadError({
      file: filename,
      kind: limit.kind,
      reason: 'format',
      message: `the content is ${what}; ${limit.kind} accepts ${accepted(limit)}`,
    });
  }
  if (ext === undefined) {
    return { filename: `${filename}.${EXTENSIONS[format][0]}`, format, contentType: MIME_TYPES[format] };
  }
  if (formatOfExtension(ext) !== format) {
    throw new WeChatUploadError({
      file: filename,
      kind: limit.kind,
      reason: 'extension',
      message: `the content is ${format.toUpperCase()} but the extension is .${ext} (WeChat infers the type from the extension; use .${EXTENSIONS[format].join(' or .')})`,
    });
  }
  return { filename, format, contentType: MIME_TYPES[format] };
}
