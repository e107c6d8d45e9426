import type { Logger } from 'pino';
import { pino } from 'pino';
import type { MpgateConfig } from '../config/schema.js';
import { fillFollowerMessage } from '../config/follower-messages.js';
import { DifyServiceClient } from '../dify/service-client.js';
import type { Store } from '../store/store.js';
import { WeChatClient } from '../wechat-api/client.js';
import { Conversations } from './conversations.js';
import { DeliveryEngine } from './delivery-engine.js';
import { DifyAnswerer } from './dify-answerer.js';
import type { AiApp } from './ai-app.js';
import { FollowerFacts } from './follower-facts.js';
import { FollowerInbox } from './follower-inbox.js';
import { adoptLegacyInbox } from './legacy-inbox.js';
import { MessageHandler, type Answerer } from './message-handler.js';
import { MessageRouter } from './message-router.js';
import { PendingAnswers } from './pending-answers.js';
import { StorePushCapability } from './push-capability.js';
import { PushOutbox } from './push-outbox.js';
import { ReplayGuard } from './replay-guard.js';
import { Webhook, webhookAccount, type WebhookAccount, type WebhookEvent } from './webhook.js';
import { WeChatPusher } from './wechat-pusher.js';

export interface GatewayOptions {
  config: MpgateConfig;
  store: Store;
  logger?: Logger | undefined;
  /** Replaces the AI of an account (tests, benchmarks, custom providers). */
  answerers?: ReadonlyMap<string, Answerer>;
  /** Observes every webhook outcome (metrics, the demo's event log). */
  observe?: (event: WebhookEvent) => void;
  now?: () => number;
}

/** How long a worker may hold a follower beyond the AI's own timeout before another process may take over. */
const LEASE_MARGIN_MS = 30_000;
/** Transient push failures before an answer is kept for the keyword instead. */
const PUSH_ATTEMPTS = 5;
/** 客服 messages allowed per follower message (5 since 2023, reference §4). */
const PUSH_QUOTA = 5;

/**
 * The gateway of one process: every configured account's webhook, the delivery engine, and the workers that
 * ask the AI and push late answers. Any number of processes may share one store.
 */
export class Gateway {
  readonly webhook: Webhook;
  readonly accounts: ReadonlyMap<string, WebhookAccount>;
  readonly #inbox: FollowerInbox;
  readonly #outbox: PushOutbox;
  readonly #store: Store;
  readonly #logger: Logger;
  #adopting: Promise<void> = Promise.resolve();
  #stopped = true;

  constructor(options: GatewayOptions) {
    const { config, store } = options;
    const logger = options.logger ?? pino({ level: 'silent' });
    this.#store = store;
    this.#logger = logger;
    const now = options.now ?? Date.now;
    const d = config.delivery;
    const pendingTtlMs = d.pendingTtlSeconds * 1000;

    const accounts = new Map<string, WebhookAccount>();
    const wechat = new Map<string, WeChatClient>();
    const answerers = new Map<string, Answerer>(options.answerers ?? []);
    const apps = new Map<string, AiApp>();
    const conversations = new Conversations(store, (id) => {
      const minutes = accounts.get(id)?.config.conversation.idleResetMinutes ?? 0;
      // 0 = never reset for idleness: keep the conversation as long as follower data may be kept.
      return minutes > 0 ? minutes * 60_000 : config.privacy.retentionDays * 86_400_000;
    });
    for (const account of config.accounts) {
      const keyword = account.fetchKeyword[0] ?? '继续';
      accounts.set(account.id, webhookAccount(account, (t) => fillFollowerMessage(t, { keyword })));
      if (account.appSecret) {
        wechat.set(
          account.id,
          new WeChatClient({
            appId: account.appId,
            appSecret: account.appSecret,
            store,
            apiBase: config.wechat.apiBase,
            tokenEndpoint: config.wechat.tokenEndpoint,
            timeoutMs: config.wechat.timeoutMs,
            logger: logger.child({ account: account.id }),
          }),
        );
      }
      if (!answerers.has(account.id)) {
        const dify = new DifyServiceClient({
          baseUrl: account.ai.baseUrl,
          apiKey: account.ai.apiKey,
          mode: account.ai.app,
          streamTimeoutMs: account.ai.timeoutMs,
          firstEventTimeoutMs: account.ai.firstEventTimeoutMs,
          idleTimeoutMs: account.ai.idleTimeoutMs,
          logger: logger.child({ account: account.id, component: 'dify' }),
        });
        const answerer = new DifyAnswerer(dify, account.ai, conversations, logger.child({ account: account.id, component: 'dify' }), { now });
        answerers.set(account.id, answerer);
        apps.set(account.id, answerer);
      }
    }
    this.accounts = accounts;

    const pending = new PendingAnswers(store, pendingTtlMs, now);
    // QR scene and last place: follower data, kept as long as the privacy settings allow.
    const facts = new FollowerFacts(store, config.privacy.retentionDays * 86_400_000);
    const pusher = new WeChatPusher((id) => wechat.get(id));
    const capability = new StorePushCapability(store, (id) => {
      const account = accounts.get(id)?.config;
      return account && { verified: account.verified, hasSecret: wechat.has(id) };
    });
    // WeChat re-delivers a message within its attempts (plus slack); the replay guard tolerates a repeated nonce
    // that long, and the engine keeps a settled job at least that long.
    const redeliveryWindowMs = (d.attempts + 2) * d.timeoutMs;
    const replayGuard = new ReplayGuard({ store, now, windowSeconds: d.replayWindowSeconds, redeliveryWindowMs });
    const engine = new DeliveryEngine({
      store,
      now,
      logger,
      timing: {
        timeoutMs: d.timeoutMs,
        attempts: d.attempts,
        safetyMarginMs: d.safetyMarginMs,
        pendingTtlMs,
        // As long as the replay guard keeps nonces: a delivery older than that is refused as stale anyway.
        settledTtlMs: Math.min(pendingTtlMs, Math.max(replayGuard.nonceTtlMs, redeliveryWindowMs)),
        pollMs: d.pollMs,
        restDelayMs: d.pushDelayMs,
      },
      onQueued: () => this.#inbox.worker.kick(),
      onPushScheduled: () => this.#outbox.worker.kick(),
    });
    const handler = new MessageHandler({ accounts, answerers, conversations, apps, wechat: (id) => wechat.get(id), facts, logger });
    const longestAi = Math.max(0, ...config.accounts.map((a) => a.ai.timeoutMs));
    this.#inbox = new FollowerInbox({
      store,
      engine,
      handle: (owner, payload) => handler.handle(owner, payload),
      leaseMs: longestAi + LEASE_MARGIN_MS,
      concurrency: d.concurrency,
      pollMs: Math.max(200, d.pollMs),
      logger,
    });
    this.#outbox = new PushOutbox({
      store,
      pusher,
      capability,
      pending,
      quota: PUSH_QUOTA,
      overflowNotice: (id) => ({ type: 'text', text: accounts.get(id)?.text('moreAvailable') ?? '' }),
      pendingTtlMs,
      maxAttempts: PUSH_ATTEMPTS,
      concurrency: Math.max(1, Math.floor(d.concurrency / 4)),
      pollMs: Math.max(200, d.pollMs),
      logger,
    });
    const router = new MessageRouter(store, pending, { facts, logger });
    this.webhook = new Webhook({
      accounts,
      engine,
      logger,
      now,
      replayGuard,
      hooks: {
        route: (account, message) => router.route(account, message),
        canPush: (account) => capability.canPush(account.config.id),
        typing: (account, openid) => pusher.typing({ account: account.config.id, openid }),
        ...(options.observe && { observe: options.observe }),
      },
    });
  }

  /** Starts the workers (call once the HTTP server listens). */
  start(): void {
    this.#stopped = false;
    this.#outbox.worker.start();
    // Messages an earlier version left queued go first; new ones wait in the store meanwhile.
    this.#adopting = adoptLegacyInbox(this.#store, this.#logger)
      .then(
        () => undefined,
        (err: unknown) => this.#logger.error({ err }, 'moving messages queued by an earlier version failed'),
      )
      .finally(() => {
        if (!this.#stopped) this.#inbox.worker.start();
      });
  }

  /** Stops taking new work and waits for the work in hand; pending answers stay in the store. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#adopting;
    await Promise.all([this.#inbox.worker.stop(), this.#outbox.worker.stop()]);
  }
}
