/**
 * Reads the bytes of an image an article refers to: a local path (relative to the article), a remote URL
 * (downloaded with a timeout and a size cap, read as a stream so a huge file is never held whole), or a
 * `data:` URI. Images already on WeChat's CDN need no upload.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, isAbsolute, resolve } from 'node:path';
import { ImageSourceError } from './errors.js';

/** Limits for reading images. */
export interface ImageSourceOptions {
  /** Folder relative paths are resolved against (the article's folder). */
  baseDir?: string;
  /** Largest image read, local or remote, before any conversion. Default 20 MB. */
  maxBytes?: number;
  /** Timeout for downloading one remote image. Default 15 000 ms. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** An image's bytes and the name to give it (the extension is fixed later from the content). */
export interface LoadedImage {
  /** The path or URL as written in the article. */
  source: string;
  bytes: Buffer;
  name: string;
}

const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

/** True for URLs on WeChat's own image CDN, which article HTML may use as they are. */
export function isWeChatImageUrl(src: string): boolean {
  return /^(?:https?:)?\/\/mmbiz\.q(?:pic|logo)\.cn\//i.test(src);
}

/** True for http(s) URLs. */
export function isRemoteImage(src: string): boolean {
  return /^https?:\/\//i.test(src);
}

/** Reads an image's bytes from wherever `src` points; throws ImageSourceError naming the source and the reason. */
export async function loadImage(src: string, options: ImageSourceOptions = {}): Promise<LoadedImage> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (src.trim() === '') throw new ImageSourceError('(empty)', 'the image has no path or URL');
  if (/^data:/i.test(src)) return fromDataUri(src, maxBytes);
  if (isRemoteImage(src)) return download(src, maxBytes, options);
  if (/^[a-z][a-z0-9+.-]*:/i.test(src) && !/^[a-z]:[\\/]/i.test(src)) {
    throw new ImageSourceError(src, 'only local paths, http(s) URLs and data: URIs can be uploaded');
  }
  return readLocal(src, maxBytes, options.baseDir);
}

async function readLocal(src: string, maxBytes: number, baseDir: string | undefined): Promise<LoadedImage> {
  const path = isAbsolute(src) ? src : resolve(baseDir ?? process.cwd(), decodePath(src));
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new ImageSourceError(src, `${path} is not a file`);
    if (info.size > maxBytes) throw new ImageSourceError(src, `${megabytes(info.size)} is over the ${megabytes(maxBytes)} an image may have`);
    return { source: src, bytes: await readFile(path), name: basename(path) };
  } catch (error) {
    if (error instanceof ImageSourceError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? `no such file ${path}` : code === 'EACCES' ? `permission denied: ${path}` : `cannot read ${path}`;
    throw new ImageSourceError(src, reason, { cause: error });
  }
}

async function download(url: string, maxBytes: number, options: ImageSourceOptions): Promise<LoadedImage> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const doFetch = options.fetch ?? fetch;
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await doFetch(url, { signal, redirect: 'follow', headers: { accept: 'image/*' } });
  } catch (error) {
    throw new ImageSourceError(url, signal.aborted ? `no answer within ${timeoutMs} ms` : `download failed (${reasonOf(error)})`, { cause: error });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new ImageSourceError(url, `download failed: HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw new ImageSourceError(url, `${megabytes(declared)} is over the ${megabytes(maxBytes)} an image may have`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body?.getReader();
  try {
    for (;;) {
      const next = await reader?.read();
      if (next === undefined || next.done) break;
      total += next.value.byteLength;
      if (total > maxBytes) {
        // Stop reading: nothing past the cap is downloaded.
        await reader?.cancel();
        throw new ImageSourceError(url, `the download is over the ${megabytes(maxBytes)} an image may have`);
      }
      chunks.push(next.value);
    }
  } catch (error) {
    if (error instanceof ImageSourceError) throw error;
    throw new ImageSourceError(url, signal.aborted ? `no complete answer within ${timeoutMs} ms` : `download failed (${reasonOf(error)})`, { cause: error });
  }
  return { source: url, bytes: Buffer.concat(chunks, total), name: nameOfUrl(url) };
}

function fromDataUri(src: string, maxBytes: number): LoadedImage {
  const match = /^data:([^;,]*)((?:;[^;,]*)*?)(;base64)?,(.*)$/is.exec(src);
  const label = `${src.slice(0, 30)}…`;
  if (!match) throw new ImageSourceError(label, 'malformed data: URI');
  const payload = match[4] ?? '';
  const bytes = match[3] ? Buffer.from(payload, 'base64') : Buffer.from(decodeURIComponent(payload), 'utf8');
  if (bytes.byteLength > maxBytes) throw new ImageSourceError(label, `${megabytes(bytes.byteLength)} is over the ${megabytes(maxBytes)} an image may have`);
  const subtype = /^image\/([a-z0-9.+-]+)$/i.exec(match[1] ?? '')?.[1]?.toLowerCase() ?? 'img';
  return { source: src, bytes, name: `inline.${subtype === 'jpeg' ? 'jpg' : subtype}` };
}

function nameOfUrl(url: string): string {
  try {
    const last = new URL(url).pathname.split('/').filter(Boolean).pop();
    return last ? decodePath(last) : 'image';
  } catch {
    return 'image';
  }
}

function decodePath(path: string): string {
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function reasonOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
