import { MpgateError } from '../errors.js';

/**
 * Why a store operation failed. Stable, machine-readable; also the error's `code`.
 * - `STORE_INVALID_ARGUMENT`: a TTL, lease, delay or counter step that no driver can honour.
 * - `STORE_NOT_INTEGER`: `increment` on a key whose value is not an integer.
 * - `STORE_CLOSED`: the store was used after `close()`.
 * - `STORE_BUSY`: the database stayed locked by another process for longer than the busy timeout.
 * - `STORE_SCHEMA_TOO_NEW`: the database was written by a newer mpgate.
 * - `STORE_DRIVER_UNAVAILABLE` / `STORE_INVALID_CONFIG`: `createStore` cannot build the requested driver.
 * - `STORE_FAILED`: anything else the backend reported (see `cause`).
 */
export type StoreErrorCode =
  | 'STORE_INVALID_ARGUMENT'
  | 'STORE_NOT_INTEGER'
  | 'STORE_CLOSED'
  | 'STORE_BUSY'
  | 'STORE_SCHEMA_TOO_NEW'
  | 'STORE_DRIVER_UNAVAILABLE'
  | 'STORE_INVALID_CONFIG'
  | 'STORE_FAILED';

/** A store operation failed; the message names the driver, the operation and the key, queue or lock concerned. */
export class StoreError extends MpgateError {
  declare readonly code: StoreErrorCode;
  /** `memory`, `sqlite`, `redis`, or the driver name asked of `createStore`. */
  readonly driver: string;
  constructor(code: StoreErrorCode, driver: string, message: string, options?: { cause?: unknown }) {
    super(code, `${driver} store: ${message}`, options);
    this.driver = driver;
  }
}
