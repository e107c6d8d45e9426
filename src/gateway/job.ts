import type { OutMessage } from './out-message.js';

/** The life of one follower message; see docs/delivery-engine.md for the transitions. */
export type JobState = 'queued' | 'answered' | 'delivered' | 'late' | 'handed';

/** The job record stored under `job:{account}:{messageKey}`. */
export interface JobRecord {
  state: JobState;
  /** When the first delivery of the message arrived (epoch ms). */
  firstAt: number;
  /** The prepared answer, once the worker has it. An empty list means "nothing to say" (reply `success`). */
  answer?: OutMessage[];
}

/** Store keys of a job, derived once. */
export interface JobKeys {
  job: string;
  deliveries: string;
}

/** The store keys for a message of an account. */
export function jobKeys(accountId: string, messageKey: string): JobKeys {
  return { job: `job:${accountId}:${messageKey}`, deliveries: `jobn:${accountId}:${messageKey}` };
}

/** Serializes a record; the exact string is what compare-and-set compares. */
export function encodeJob(record: JobRecord): string {
  return JSON.stringify(record);
}

/** Parses a stored record. */
export function decodeJob(value: string): JobRecord {
  return JSON.parse(value) as JobRecord;
}
