import { MpgateError } from '../errors.js';

/** A file in memory, on its way between WeChat and Dify. */
export interface MediaFile {
  data: Uint8Array;
  contentType: string;
  /** From Content-Disposition or the URL's last segment, when there is one. */
  filename: string | undefined;
}

/** Why a download failed. */
export type DownloadFailure = 'too-large' | 'status' | 'network' | 'timeout';

/** A file could not be downloaded; `url` is shown without its query (signed URLs carry signatures). */
export class DownloadError extends MpgateError {
  readonly url: string;
  readonly reason: DownloadFailure;

  constructor(url: string, reason: DownloadFailure, message: string, options?: { cause?: unknown }) {
    super(`DOWNLOAD_${reason.toUpperCase().replace('-', '_')}`, `cannot download ${url}: ${message}`, options);
    this.url = url;
    this.reason = reason;
  }
}

/** The URL as it may appear in logs and errors: no query, no credentials. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url.split('?')[0] ?? url;
  }
}

function filenameOf(url: string, disposition: string | null): string | undefined {
  const quoted = disposition?.match(/filename\*?=(?:UTF-8'')?"?([^";]+)"?/i)?.[1];
  if (quoted) {
    try {
      return decodeURIComponent(quoted);
    } catch {
      return quoted;
    }
  }
  try {
    const last = new URL(url).pathname.split('/').pop();
    return last ? decodeURIComponent(last) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Downloads a file into memory, refusing it as soon as it grows beyond `maxBytes` (by Content-Length, or while
 * reading) and giving up after `timeoutMs` for the whole transfer.
 */
export async function downloadFile(url: string, options: { maxBytes: number; timeoutMs: number; fetch?: typeof fetch }): Promise<MediaFile> {
  const shown = displayUrl(url);
  const signal = AbortSignal.timeout(options.timeoutMs);
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, { signal, redirect: 'follow' });
  } catch (err) {
    if (signal.aborted) throw new DownloadError(shown, 'timeout', `no answer within ${options.timeoutMs} ms`, { cause: err });
    throw new DownloadError(shown, 'network', err instanceof Error ? err.message : String(err), { cause: err });
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new DownloadError(shown, 'status', `HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > options.maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new DownloadError(shown, 'too-large', `${declared} bytes, over the ${options.maxBytes}-byte limit`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    const reader = response.body?.getReader();
    for (let next = await reader?.read(); next && !next.done; next = await reader?.read()) {
      size += next.value.byteLength;
      if (size > options.maxBytes) {
        await reader?.cancel().catch(() => undefined);
        throw new DownloadError(shown, 'too-large', `more than ${options.maxBytes} bytes`);
      }
      chunks.push(next.value);
    }
  } catch (err) {
    if (err instanceof DownloadError) throw err;
    if (signal.aborted) throw new DownloadError(shown, 'timeout', `not complete within ${options.timeoutMs} ms`, { cause: err });
    throw new DownloadError(shown, 'network', err instanceof Error ? err.message : String(err), { cause: err });
  }
  return {
    data: Buffer.concat(chunks, size),
    contentType: (response.headers.get('content-type') ?? 'application/octet-stream').split(';')[0]!.trim(),
    filename: filenameOf(url, response.headers.get('content-disposition')),
  };
}
