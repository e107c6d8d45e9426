import type { Logger } from 'pino';
import type { Owner, Store } from '../store/store.js';
import { enqueueMessage } from './inbox-queue.js';

/** How long adopting one legacy item may take before another process could take it too. */
const ADOPT_LEASE_MS = 60_000;

/**
 * Moves the messages an earlier mpgate left waiting — one `inbox:{account}:{openid}` queue per follower, listed in
 * a `ready` queue — into today's grouped `inbox` queue, in their order, so an upgrade while messages wait loses
 * none. Idempotent; returns how many messages moved. A legacy item leased by a still-running older process is left
 * to it.
 */
export async function adoptLegacyInbox(store: Store, logger?: Logger): Promise<number> {
  let moved = 0;
  for (let ready = await store.lease('ready', ADOPT_LEASE_MS); ready; ready = await store.lease('ready', ADOPT_LEASE_MS)) {
    let owner: Owner | undefined;
    try {
      owner = JSON.parse(ready.payload) as Owner;
    } catch {
      logger?.warn({ item: ready.id }, 'unreadable legacy ready item dropped');
    }
    if (owner) {
      const queue = `inbox:${owner.account}:${owner.openid}`;
      for (let item = await store.lease(queue, ADOPT_LEASE_MS); item; item = await store.lease(queue, ADOPT_LEASE_MS)) {
        await enqueueMessage(store, owner, item.id, item.payload);
        await store.ack(queue, item.id, item.leaseToken);
        moved++;
      }
    }
    await store.ack('ready', ready.id, ready.leaseToken);
  }
  if (moved > 0) logger?.info({ moved }, 'messages queued by an earlier version moved to the inbox');
  return moved;
}
