import { DifyApiError, DifyTransportError } from '../dify/errors.js';

/** How often and how patiently a transient failure is retried. */
export interface RetryPolicy {
  /** Extra attempts after the first (default 3). */
  retries: number;
  /** Delay before the first retry; doubled each time, plus up to 25 % jitter (default 250 ms). */
  baseDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 3, baseDelayMs: 250 };

/**
 * Worth another try: the network failed or timed out, Dify answered 5xx, or it asked to slow down (429).
 * Not 4xx answers (a missing draft, a permission problem), and never a login error.
 */
export function isTransientFailure(err: unknown): boolean {
  if (err instanceof DifyTransportError) return err.reason === 'network' || err.reason === 'timeout';
  if (err instanceof DifyApiError) return err.status >= 500 || err.status === 429;
  return false;
}

/** A failure that persisted through every attempt; `attempts` says how many were made. */
export class RetriesExhausted extends Error {
  readonly attempts: number;
  constructor(cause: unknown, attempts: number) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'RetriesExhausted';
    this.attempts = attempts;
  }
}

/**
 * Runs `task`, retrying transient failures with exponential backoff. A permanent failure is rethrown
 * as is; a transient one that outlives every retry is wrapped in `RetriesExhausted`.
 * Only for requests that are safe to repeat (reads).
 */
export async function withRetry<T>(task: () => Promise<T>, policy: RetryPolicy = DEFAULT_RETRY_POLICY): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await task();
    } catch (err) {
      if (!isTransientFailure(err)) throw err;
      if (attempt > policy.retries) throw new RetriesExhausted(err, attempt);
      const delay = policy.baseDelayMs * 2 ** (attempt - 1);
      await new Promise((resolve) => setTimeout(resolve, Math.round(delay * (1 + Math.random() * 0.25))));
    }
  }
}
