export type { Store, Owner, SetOptions, QueueItem, LeasedItem } from './store.js';
