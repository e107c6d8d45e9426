/**
 * Turns what a caller has — a path, bytes or a stream — into a checked multipart file part. Every check
 * (size, format, extension) runs before the part exists, so a refused file never reaches the network.
 * Paths are sized with stat and streamed from disk; streams are read up to the limit and no further.
 */
import { openAsBlob } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { WeChatUploadError } from './errors.js';
import { SNIFF_BYTES } from '../wechat/media-format.js';
import { checkUploadFormat, checkUploadSize, type UploadLimit } from './upload-limits.js';

/** A file to upload: a path, or bytes / a stream with the filename WeChat should see. */
export type UploadSource =
  | string
  | { path: string; filename?: string; contentType?: string }
  | { data: Uint8Array; filename: string; contentType?: string }
  | { stream: Readable | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>; filename: string; contentType?: string };

/** A file that passed the checks, ready to append to a FormData. */
export interface PreparedUpload {
  filename: string;
  contentType: string;
  size: number;
  blob: Blob;
}

/** Check `source` against `limit` and build its file part; throws WeChatUploadError before any request. */
export async function prepareUpload(source: UploadSource, limit: UploadLimit): Promise<PreparedUpload> {
  if (typeof source === 'string') return fromPath(source, undefined, undefined, limit);
  if ('path' in source) return fromPath(source.path, source.filename, source.contentType, limit);
  if ('data' in source) return fromBytes(source.data, source.filename, source.contentType, limit);
  const data = await readCapped(source.stream, source.filename, limit);
  return fromBytes(data, source.filename, source.contentType, limit);
}

/** Append a prepared file to `form` under WeChat's field name `media`. */
export function appendMedia(form: FormData, upload: PreparedUpload): void {
  form.append('media', upload.blob, upload.filename);
}

async function fromPath(path: string, filename: string | undefined, contentType: string | undefined, limit: UploadLimit): Promise<PreparedUpload> {
  const name = filename ?? basename(path);
  let size: number;
  const head = new Uint8Array(SNIFF_BYTES);
  let headLength: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new Error('not a regular file');
    size = info.size;
    checkUploadSize(name, size, limit);
    const handle = await open(path, 'r');
    try {
      headLength = (await handle.read(head, 0, SNIFF_BYTES, 0)).bytesRead;
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof WeChatUploadError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new WeChatUploadError({ file: name, kind: limit.kind, reason: 'unreadable', message: `cannot read ${path}: ${reason}`, cause: error });
  }
  const checked = checkUploadFormat(name, head.subarray(0, headLength), limit);
  const type = contentType ?? checked.contentType;
  return { filename: checked.filename, contentType: type, size, blob: await openAsBlob(path, { type }) };
}

function fromBytes(data: Uint8Array, filename: string, contentType: string | undefined, limit: UploadLimit): PreparedUpload {
  checkUploadSize(filename, data.byteLength, limit);
  const checked = checkUploadFormat(filename, data.subarray(0, SNIFF_BYTES), limit);
  const type = contentType ?? checked.contentType;
  return { filename: checked.filename, contentType: type, size: data.byteLength, blob: new Blob([data as Uint8Array<ArrayBuffer>], { type }) };
}

async function readCapped(
  stream: Readable | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  filename: string,
  limit: UploadLimit,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const iterable = stream as AsyncIterable<Uint8Array | string>;
  for await (const chunk of iterable) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    total += bytes.byteLength;
    if (total > limit.maxBytes) {
      // Leaving the loop early destroys a Node stream / cancels a web stream: nothing more is read.
      throw new WeChatUploadError({
        file: filename,
        kind: limit.kind,
        reason: 'size',
        message: `the stream is larger than the ${limit.label} limit for ${limit.kind}`,
        limitBytes: limit.maxBytes,
      });
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, total);
}
