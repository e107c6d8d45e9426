import { z } from 'zod';
import { backupsConfigSchema } from '../backup/config-schema.js';
import { LOG_LEVELS } from '../log/logger.js';
import { accountSchema } from './account-schema.js';
import { httpUrl, oneOf, optional, text, trueOrFalse, wholeNumber } from './field-types.js';

// Refinements also run when other fields are invalid (one run reports every problem), so they read
// their input defensively: it may not even be an object.
const always = { when: () => true };
const isObject = (value: unknown): boolean => typeof value === 'object' && value !== null;

export const STORE_DRIVERS = ['memory', 'sqlite', 'redis'] as const;
export type StoreDriver = (typeof STORE_DRIVERS)[number];

const serverSchema = z.strictObject({
  host: text().default('127.0.0.1'),
  port: wholeNumber(0, 65_535).default(8080),
  /** Guards the tool API, /openapi.json and /mcp; without it those routes are off. */
  adminToken: optional(z.string().trim().min(16, { error: 'must be at least 16 characters (e.g. the output of: openssl rand -hex 24)' })),
  /** Passed to fastify: true, a hop count, or trusted addresses/CIDRs. */
  trustProxy: z
    .preprocess(
      (value) => (value === 'true' ? true : value === 'false' ? false : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value),
      z.union([z.boolean(), z.number().int().min(0), text(), z.array(text())], {
        error: 'must be true, false, a number of proxy hops, or trusted addresses (text or a list)',
      }),
    )
    .default(false),
});

const storeSchema = z
  .strictObject({
    driver: oneOf(STORE_DRIVERS).default('sqlite'),
    /** SQLite file; relative paths are resolved against the config file's folder. */
    path: text().default('./data/mpgate.db'),
    url: optional(text()),
  })
  .superRefine((store, ctx) => {
    if (!isObject(store)) return;
    if (store.driver === 'redis' && store.url === undefined) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'is required when driver is redis (redis://host:6379 or rediss://…)' });
    }
    if (typeof store.url === 'string' && !/^rediss?:\/\/[^\s]+$/.test(store.url)) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'must start with redis:// or rediss://' });
    } else if (typeof store.url === 'string' && store.driver !== 'redis' && typeof store.driver === 'string') {
      ctx.addIssue({ code: 'custom', path: ['url'], message: `is only used when driver is redis (driver is ${store.driver})` });
    }
  }, always)
  .transform((store): StoreSettings => {
    if (store.driver === 'memory') return { driver: 'memory' };
    if (store.driver === 'redis') return { driver: 'redis', url: store.url ?? '' };
    return { driver: 'sqlite', path: store.path };
  });

/** Where the gateway keeps its state (satisfies the store module's StoreConfig, hence the other name). */
export type StoreSettings = { driver: 'memory' } | { driver: 'sqlite'; path: string } | { driver: 'redis'; url: string };

const wechatSchema = z.strictObject({
  /** WeChat API base; a simulator's URL in tests and the demo, or a fixed-IP proxy. */
  apiBase: httpUrl('e.g. https://api.weixin.qq.com').default('https://api.weixin.qq.com'),
  tokenEndpoint: oneOf(['stable_token', 'token']).default('stable_token'),
  timeoutMs: wholeNumber(100, 120_000).default(10_000),
});

const deliverySchema = z
  .strictObject({
    /** WeChat waits this long for a passive reply; tests shrink it. */
    timeoutMs: wholeNumber(50, 5000).default(5000),
    /** Deliveries WeChat makes of one message (3 observed; some read the docs as 4). */
    attempts: wholeNumber(1, 10).default(3),
    /** Each delivery answers this long before its deadline. */
    safetyMarginMs: wholeNumber(0, 5000).default(500),
    /** How long an answer waits for the follower to fetch it. */
    pendingTtlSeconds: wholeNumber(60, 31_536_000).default(86_400),
    /** Accepted clock skew of a callback's timestamp; nonces are remembered this long. */
    replayWindowSeconds: wholeNumber(10, 86_400).default(300),
    /** How often a waiting delivery re-reads the store when another process computes the answer. */
    pollMs: wholeNumber(5, 1000).default(50),
    /** Pause between a passive reply and the 客服 push of the rest of a long answer, so the parts arrive in order. */
    pushDelayMs: wholeNumber(0, 10_000).default(500),
    /** Followers whose messages this process hands to the AI at the same time. */
    concurrency: wholeNumber(1, 1000).default(32),
  })
  .superRefine((delivery, ctx) => {
    if (!isObject(delivery)) return;
    if (typeof delivery.safetyMarginMs === 'number' && typeof delivery.timeoutMs === 'number' && delivery.safetyMarginMs >= delivery.timeoutMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['safetyMarginMs'],
        message: `must be less than delivery.timeoutMs (${delivery.timeoutMs}): it is the part of each delivery's window kept in reserve`,
      });
    }
  }, always);

const loggingSchema = z.strictObject({
  level: oneOf(LOG_LEVELS).default('info'),
  /** Log follower messages and AI answers; off by default (only their length is logged). */
  content: trueOrFalse().default(false),
});

const privacySchema = z.strictObject({
  /** Days follower data (conversation ids, pending answers, delivery records) is kept after its last use. */
  retentionDays: wholeNumber(1, 3650).default(30),
});

/**
 * The sections of mpgate.yaml. A later feature adds its section here (publisher, backups, mcp…);
 * each section is strict, so a misspelt key is reported instead of silently ignored.
 */
const configSections = {
  server: serverSchema.prefault({}),
  store: storeSchema.prefault({}),
  wechat: wechatSchema.prefault({}),
  delivery: deliverySchema.prefault({}),
  logging: loggingSchema.prefault({}),
  privacy: privacySchema.prefault({}),
  accounts: z.array(accountSchema).default([]),
  /** Scheduled Dify backups run by `mpgate serve` (docs/backup.md). */
  backups: backupsConfigSchema.optional(),
};

/** The whole configuration: validates a plain object (after env interpolation) and applies defaults. */
export const configSchema = z.strictObject(configSections).superRefine((config, ctx) => {
  if (!isObject(config)) return;
  const accounts: unknown[] = Array.isArray(config.accounts) ? config.accounts : [];
  const firstIndexOfId = new Map<string, number>();
  accounts.forEach((account, index) => {
    const id = typeof account === 'object' && account !== null ? (account as { id?: unknown }).id : undefined;
    if (typeof id !== 'string') return;
    const first = firstIndexOfId.get(id);
    if (first === undefined) firstIndexOfId.set(id, index);
    else ctx.addIssue({ code: 'custom', path: ['accounts', index, 'id'], message: `duplicate id "${id}": accounts[${first}] and accounts[${index}] both use it` });
  });
  const ttl = config.delivery?.pendingTtlSeconds;
  const days = config.privacy?.retentionDays;
  if (typeof ttl === 'number' && typeof days === 'number' && ttl > days * 86_400) {
    ctx.addIssue({
      code: 'custom',
      path: ['delivery', 'pendingTtlSeconds'],
      message: `keeps answers ${ttl} s, longer than privacy.retentionDays (${days} days) allows`,
    });
  }
}, always);

/** A validated configuration with every default applied. */
export type MpgateConfig = z.output<typeof configSchema>;
export type ServerConfig = MpgateConfig['server'];
export type WechatConfig = MpgateConfig['wechat'];
export type DeliveryConfig = MpgateConfig['delivery'];
export type LoggingConfig = MpgateConfig['logging'];
export type PrivacyConfig = MpgateConfig['privacy'];
