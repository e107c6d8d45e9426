/**
 * The SQLite store's schema, versioned through `PRAGMA user_version`: `MIGRATIONS[n]` takes a database from
 * version n to n + 1. Append new migrations; never edit a released one.
 *
 * Times are epoch ms. A kv row or lock is absent from `expires_at <= now` on (NULL = never expires).
 * A queue item is leasable while `available_at <= now`; leasing moves `available_at` to the lease's expiry,
 * so an item whose worker died becomes leasable again by itself, and one index serves both cases. An item of a
 * group that is not the group's oldest is parked (not leasable) until the items before it are acked or purged.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE kv (
    key           TEXT PRIMARY KEY,
    value         TEXT NOT NULL,
    expires_at    INTEGER,
    owner_account TEXT,
    owner_openid  TEXT
  );
  CREATE INDEX kv_owner ON kv (owner_account, owner_openid) WHERE owner_account IS NOT NULL;
  CREATE INDEX kv_expiry ON kv (expires_at) WHERE expires_at IS NOT NULL;

  CREATE TABLE queue_items (
    seq           INTEGER PRIMARY KEY,
    queue         TEXT NOT NULL,
    id            TEXT NOT NULL,
    payload       TEXT NOT NULL,
    available_at  INTEGER NOT NULL,
    lease_token   TEXT,
    attempts      INTEGER NOT NULL DEFAULT 0,
    owner_account TEXT,
    owner_openid  TEXT,
    UNIQUE (queue, id)
  );
  CREATE INDEX queue_items_ready ON queue_items (queue, available_at);
  CREATE INDEX queue_items_owner ON queue_items (owner_account, owner_openid) WHERE owner_account IS NOT NULL;

  CREATE TABLE locks (
    name       TEXT PRIMARY KEY,
    token      TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  );
  `,
  // Queue groups: only the oldest item of a group is leasable (parked = 0); the rest wait, parked, for it to go.
  `
  ALTER TABLE queue_items ADD COLUMN grp TEXT;
  ALTER TABLE queue_items ADD COLUMN parked INTEGER NOT NULL DEFAULT 0;
  DROP INDEX queue_items_ready;
  CREATE INDEX queue_items_ready ON queue_items (queue, parked, available_at);
  CREATE INDEX queue_items_group ON queue_items (queue, grp, seq) WHERE grp IS NOT NULL;
  `,
];

/** The version this code writes and understands. */
export const SCHEMA_VERSION = MIGRATIONS.length;
