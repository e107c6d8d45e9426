/**
 * Checks on caller-supplied arguments, shared by every driver so that they all accept and refuse the same
 * inputs (a Redis driver must be able to honour whatever memory and SQLite accept: PX needs a positive
 * integer, INCRBY a safe integer).
 */
import { StoreError } from './errors.js';

/** A TTL or lease length: a positive, finite number of ms; fractions round up so a TTL never shrinks. */
export function positiveMs(driver: string, what: string, ms: number): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) {
    throw new StoreError('STORE_INVALID_ARGUMENT', driver, `${what} must be a positive number of milliseconds, got ${String(ms)}`);
  }
  return Math.ceil(ms);
}

/** A delay: zero or more ms. */
export function nonNegativeMs(driver: string, what: string, ms: number): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
    throw new StoreError('STORE_INVALID_ARGUMENT', driver, `${what} must be zero or more milliseconds, got ${String(ms)}`);
  }
  return Math.ceil(ms);
}

/** An optional TTL turned into an absolute expiry (epoch ms), or null for "never". */
export function expiryFrom(driver: string, what: string, now: number, ttlMs: number | undefined): number | null {
  return ttlMs === undefined ? null : now + positiveMs(driver, what, ttlMs);
}

/** A counter step: a safe integer. */
export function counterStep(driver: string, key: string, by: number): number {
  if (!Number.isSafeInteger(by)) {
    throw new StoreError('STORE_INVALID_ARGUMENT', driver, `increment "${key}": by must be a safe integer, got ${String(by)}`);
  }
  return by;
}

/** The integer a counter holds, or undefined when the stored text is not a canonical integer. */
export function counterValue(text: string): number | undefined {
  const n = Number(text);
  return Number.isSafeInteger(n) && String(n) === text ? n : undefined;
}

/** The error for `increment` on a value that is not a counter (or would overflow one). */
export function notACounter(driver: string, key: string): StoreError {
  return new StoreError(
    'STORE_NOT_INTEGER',
    driver,
    `increment "${key}": the stored value is not an integer counter (or the result is beyond ±2^53)`,
  );
}
