/**
 * Waits for a publish job to end. freepublish/submit only queues the job; the result arrives as PUBLISHJOBFINISH
 * (which the gateway records in the store) or through freepublish/get. freepublish/get is limited to 100 calls a
 * day, so the store is read often and the API polled with a growing interval.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Store } from '../../store/store.js';
import type { PublishStatus, WeChatClient } from '../../wechat-api/index.js';
import { PublishWaitTimeoutError } from './errors.js';
import { readPublishResult } from './publish-result.js';

export interface WaitForPublishOptions {
  /** Give up after this long (the job goes on). Default 600 000 ms. */
  timeoutMs?: number;
  /** First wait before polling freepublish/get again. Default 3 000 ms. */
  pollMs?: number;
  /** The poll interval grows by this factor after each poll. Default 2. */
  backoffFactor?: number;
  /** Longest interval between two freepublish/get calls. Default 60 000 ms. */
  maxPollMs?: number;
  /** How often the store is read for a recorded PUBLISHJOBFINISH result. Default 1 000 ms. */
  storePollMs?: number;
  /** Told of every status seen, e.g. to show progress. */
  onStatus?: (status: PublishStatus, source: 'event' | 'poll') => void;
  signal?: AbortSignal;
  /** Clock, epoch ms (tests). Default Date.now. */
  now?: () => number;
}

/** Where a finished job's status came from: the recorded PUBLISHJOBFINISH event or a freepublish/get poll. */
export interface FinishedPublish {
  status: PublishStatus;
  source: 'event' | 'poll';
}

/**
 * Resolves with the job's final status (anything but 1, publishing). Throws PublishWaitTimeoutError after
 * `timeoutMs`, and WeChat's errors as they are (e.g. 45009 once the daily freepublish/get quota is used up).
 */
export async function waitForPublish(client: WeChatClient, store: Store, publishId: string, options: WaitForPublishOptions = {}): Promise<FinishedPublish> {
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 600_000;
  const storePollMs = Math.max(1, options.storePollMs ?? 1000);
  const maxPollMs = options.maxPollMs ?? 60_000;
  const factor = options.backoffFactor ?? 2;
  const started = now();
  let pollMs = options.pollMs ?? 3000;
  let nextPollAt = started;

  for (;;) {
    options.signal?.throwIfAborted();
    const recorded = await readPublishResult(store, client.appId, publishId);
    if (recorded !== undefined) {
      options.onStatus?.(recorded, 'event');
      if (recorded.publish_status !== 1) return { status: recorded, source: 'event' };
    }
    if (now() >= nextPollAt) {
      const polled = await client.freepublish.get(publishId, options.signal ? { signal: options.signal } : undefined);
      options.onStatus?.(polled, 'poll');
      if (polled.publish_status !== 1) return { status: polled, source: 'poll' };
      nextPollAt = now() + pollMs;
      pollMs = Math.min(maxPollMs, pollMs * factor);
    }
    const elapsed = now() - started;
    if (elapsed >= timeoutMs) throw new PublishWaitTimeoutError(publishId, elapsed);
    const untilPoll = Math.max(0, nextPollAt - now());
    await delay(Math.min(storePollMs, untilPoll, timeoutMs - elapsed), undefined, options.signal ? { signal: options.signal } : undefined);
  }
}
