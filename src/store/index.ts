export type { Store, Owner, SetOptions, QueueItem, LeasedItem } from './store.js';
export { StoreError, type StoreErrorCode } from './errors.js';
export { MemoryStore, type MemoryStoreOptions } from './memory-store.js';
export { SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
export { createStore, DEFAULT_SQLITE_PATH, type StoreConfig } from './create-store.js';
export { ManualClock } from './manual-clock.js';
