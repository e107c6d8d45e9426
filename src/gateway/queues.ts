import type { Owner } from '../store/store.js';

/** Store queue names used by the engine and its workers. */
export const QUEUES = {
  /** Follower messages waiting for the AI, grouped by follower (one at a time, in order). */
  inbox: 'inbox',
  /** Answers (or their rest) to push by 客服. */
  outbox: 'outbox',
  pending: (owner: Owner): string => `pending:${owner.account}:${owner.openid}`,
} as const;
