import { DifyApiError, DifyTransportError } from '../dify/errors.js';
import { RetriesExhausted } from './retry.js';

/** One line saying why a request failed, for the per-app report (never contains a secret). */
export function describeFailure(err: unknown): string {
  if (err instanceof RetriesExhausted) return `${describeFailure(err.cause)} (gave up after ${err.attempts} attempts)`;
  if (err instanceof DifyApiError) {
    return `HTTP ${err.status} ${err.difyCode}${err.difyMessage ? `: ${err.difyMessage}` : ''} (${err.endpoint})`;
  }
  if (err instanceof DifyTransportError) return err.message.replace(/^Dify /, '');
  if (err instanceof Error) return err.message;
  return String(err);
}
