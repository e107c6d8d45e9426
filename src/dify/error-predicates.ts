import { DifyApiError, DifyTransportError } from './errors.js';

/**
 * The conversation id is unknown, deleted, or belongs to another user or app (404 `not_found`
 * "Conversation Not Exists…"). The gateway drops the stored id and retries once without it.
 */
export function isConversationNotFound(err: unknown): err is DifyApiError {
  return (
    err instanceof DifyApiError &&
    err.status === 404 &&
    err.difyCode === 'not_found' &&
    err.difyMessage.startsWith('Conversation Not Exists')
  );
}

/**
 * Too many requests: the per-app concurrency limit (400 `invalid_param` "Too many requests…" with stock
 * flask-restx, 429 `too_many_requests` per the docs) or any 429 (billing `rate_limit_error`, Cloudflare).
 */
export function isRateLimited(err: unknown): err is DifyApiError {
  if (!(err instanceof DifyApiError)) return false;
  if (err.status === 429) return true;
  return err.difyCode === 'invalid_param' && err.difyMessage.startsWith('Too many requests');
}

/** The per-app concurrency limit specifically (safe to retry later with backoff, unlike `rate_limit_error`). */
export function isConcurrencyLimit(err: unknown): err is DifyApiError {
  if (!(err instanceof DifyApiError)) return false;
  if (err.status === 429) return err.difyCode === 'too_many_requests';
  return err.difyCode === 'invalid_param' && err.difyMessage.startsWith('Too many requests');
}

/**
 * The app cannot serve requests until its operator acts: broken or unpublished configuration
 * (400 `app_unavailable`) or API access disabled / app deleted / workspace archived (403 `forbidden`).
 */
export function isAppUnavailable(err: unknown): err is DifyApiError {
  if (!(err instanceof DifyApiError)) return false;
  return err.difyCode === 'app_unavailable' || (err.status === 403 && err.difyCode === 'forbidden');
}

/** The model provider's quota is exhausted (400 `provider_quota_exceeded`, over HTTP or as an `error` event). */
export function isProviderQuotaExceeded(err: unknown): err is DifyApiError {
  return err instanceof DifyApiError && err.difyCode === 'provider_quota_exceeded';
}

/** The model provider has no credentials configured (400 `provider_not_initialize`). */
export function isProviderNotConfigured(err: unknown): err is DifyApiError {
  return err instanceof DifyApiError && err.difyCode === 'provider_not_initialize';
}

/**
 * Worth retrying later, per Dify's retry policy: concurrency errors, 5xx, and network failures.
 * Not 400 validation errors, 401/403, or `rate_limit_error`. Whether a *generation* POST may be
 * re-sent is the caller's call: a timed-out POST may already have run.
 */
export function isRetryable(err: unknown): boolean {
  if (err instanceof DifyTransportError) return err.reason === 'network';
  if (!(err instanceof DifyApiError)) return false;
  if (err.status >= 500) return true;
  return isConcurrencyLimit(err);
}
