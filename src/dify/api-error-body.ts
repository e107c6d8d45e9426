import { DifyApiError } from './errors.js';
import type { DifyErrorEvent } from './stream-events.js';

/**
 * Builds a `DifyApiError` from an HTTP error answer. Dify's envelope is `{code, message, status, params?}`;
 * anything else (an nginx page, Cloudflare's plain "error code 1015") keeps the status with code `http_error`.
 */
export function apiErrorFromResponse(status: number, bodyText: string, endpoint: string): DifyApiError {
  const parsed = parseJsonObject(bodyText);
  if (parsed !== undefined && (typeof parsed.code === 'string' || typeof parsed.message === 'string')) {
    return new DifyApiError({
      status,
      code: typeof parsed.code === 'string' ? parsed.code : 'http_error',
      message: typeof parsed.message === 'string' ? parsed.message : '',
      endpoint,
      params: typeof parsed.params === 'string' ? parsed.params : undefined,
    });
  }
  const text = bodyText.replace(/\s+/g, ' ').trim().slice(0, 300);
  return new DifyApiError({ status, code: 'http_error', message: text === '' ? `HTTP ${status}` : text, endpoint });
}

/** Builds a `DifyApiError` from an `error` event inside a 200 stream. */
export function apiErrorFromEvent(event: DifyErrorEvent, endpoint: string): DifyApiError {
  return new DifyApiError({
    status: typeof event.status === 'number' ? event.status : 200,
    code: typeof event.code === 'string' ? event.code : 'unknown',
    message: typeof event.message === 'string' ? event.message : '',
    endpoint,
  });
}

/** Parses text as a JSON object; undefined for anything else. */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
