import type { Logger } from 'pino';
import { StoreError } from './errors.js';
import { MemoryStore } from './memory-store.js';
import { SqliteStore } from './sqlite-store.js';
import type { Store } from './store.js';

/** Where the sqlite driver keeps its file when the config names none (the design's default). */
export const DEFAULT_SQLITE_PATH = './data/mpgate.db';

/** The `store:` section of the config. */
export interface StoreConfig {
  driver: 'memory' | 'sqlite' | 'redis';
  /** sqlite: database file (default `./data/mpgate.db`). */
  path?: string;
  /** redis: `redis://…` URL. */
  url?: string;
  /** Clock in epoch ms, for tests. Default `Date.now`. */
  now?: () => number;
  logger?: Logger;
}

/** Build the store a config asks for. Async because network drivers (redis) connect before answering. */
export async function createStore(config: StoreConfig): Promise<Store> {
  switch (config.driver) {
    case 'memory':
      return new MemoryStore({ now: config.now });
    case 'sqlite':
      return new SqliteStore({ path: config.path ?? DEFAULT_SQLITE_PATH, now: config.now, logger: config.logger });
    case 'redis':
      throw new StoreError(
        'STORE_DRIVER_UNAVAILABLE',
        'redis',
        'the redis driver is not available yet (a later release adds it); set store.driver to "sqlite" (one host, ' +
          'several processes) or "memory" (tests)',
      );
    default:
      throw new StoreError(
        'STORE_INVALID_CONFIG',
        String((config as { driver: unknown }).driver),
        'unknown driver; store.driver must be "memory", "sqlite" or "redis"',
      );
  }
}
