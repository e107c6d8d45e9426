import type { Owner, Store } from '../store/store.js';
import { QUEUES } from './queues.js';

// The `inbox` queue's records: follower messages waiting for the AI, grouped by follower. Written by the first
// delivery of a message (and the legacy adoption), read by the FollowerInbox worker and the fetch keyword.

/** One queued message as the worker reads it back from the inbox queue. */
export interface InboxEntry {
  owner: Owner;
  key: string;
  input: string;
}

/**
 * `["account","openid","messageKey"]\n<input>`: the input (itself JSON) is stored as it is instead of being
 * escaped again inside a JSON envelope. JSON never contains a raw newline, so the first one ends the header.
 */
function encodeInboxEntry(owner: Owner, key: string, input: string): string {
  return `${JSON.stringify([owner.account, owner.openid, key])}\n${input}`;
}

/** Reads back what `enqueueMessage` stored. */
export function decodeInboxEntry(payload: string): InboxEntry {
  const split = payload.indexOf('\n');
  const [account, openid, key] = JSON.parse(payload.slice(0, split)) as [string, string, string];
  return { owner: { account, openid }, key, input: payload.slice(split + 1) };
}

/** The store group of a follower's messages: one at a time, in order. */
export function followerGroup(owner: Owner): string {
  return `${owner.account}:${owner.openid}`;
}

/** Queues a follower message for the AI (idempotent on the message key). */
export async function enqueueMessage(store: Store, owner: Owner, messageKey: string, input: string): Promise<void> {
  await store.enqueue(QUEUES.inbox, {
    id: `${owner.account}:${messageKey}`,
    payload: encodeInboxEntry(owner, messageKey, input),
    group: followerGroup(owner),
    owner,
  });
}

/** Messages of a follower still waiting for (or getting) their answer. */
export function queuedMessages(store: Store, owner: Owner): Promise<number> {
  return store.queueSize(QUEUES.inbox, followerGroup(owner));
}
