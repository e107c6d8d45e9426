import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AccountState } from './account-state.js';
import { tokenRoutes } from './api/token.js';
import { messageRoutes } from './api/message.js';
import { mediaRoutes } from './api/media.js';
import { draftRoutes } from './api/draft.js';
import { publishRoutes } from './api/publish.js';
import { menuUserRoutes } from './api/menu-user.js';
import { WECHAT_JSON_CONTENT_TYPE, errorEnvelope, mountApiRoutes } from './api-router.js';
import { deliverCallback, type DeliveryExchange } from './callback-sender.js';
import { mountInspectRoutes } from './inspect-routes.js';
import { idOfMmbizUrl, type MediaKind, type StoredMedia } from './media-library.js';
import { publishJobFinishXml } from './publish-event.js';
import type { PublishJob } from './publish-jobs.js';
import { SimState } from './sim-state.js';
import type {
  CallbackMode,
  InteractionTrigger,
  ReceivedCustomerMessage,
  WechatSimAccount,
  SimAccountInit,
  WechatSimCall,
  WechatSimCapabilities,
  WechatSimFault,
  WechatSimulatorOptions,
} from './types.js';

/** One delivery of a platform callback as recorded (the body is kept as text for inspection). */
export interface WechatPlatformCallbackDelivery {
  n: number;
  startedAt: number;
  endedAt: number;
  result: DeliveryExchange['result'];
  status?: number;
  body?: string;
  error?: string;
}

/** A callback the platform itself sent (PUBLISHJOBFINISH). */
export interface WechatPlatformCallback {
  /** Simulator clock, ms. */
  at: number;
  appId: string;
  event: string;
  url: string;
  mode: CallbackMode;
  /** The plaintext XML that was sent (encrypted on the wire in safe/compatible mode). */
  xml: string;
  deliveries: WechatPlatformCallbackDelivery[];
  /** True once every delivery attempt is over. */
  done: boolean;
}

/** A follower as the inspection API shows it. */
export interface WechatSimFollower {
  appId: string;
  openid: string;
  subscribed: boolean;
  /** 客服 window right now. */
  window: { open: boolean; remaining: number; expiresAt: number | undefined };
  typing: boolean;
  receivedCount: number;
}

/** A publish job as the inspection API shows it. */
export interface WechatSimPublishJob {
  appId: string;
  publishId: string;
  status: number;
  articleId?: string;
  submittedAt: number;
  finishedAt?: number;
}

const ALL_ROUTES = [...tokenRoutes, ...messageRoutes, ...mediaRoutes, ...draftRoutes, ...publishRoutes, ...menuUserRoutes];

/** A running WeChat platform simulator: the API server, the platform state and the controls tests use. */
export class WechatSimulator {
  /** `http://host:port` — use it as `wechat.apiBase`. */
  readonly apiBase: string;
  /** The first (default) account. */
  readonly account: WechatSimAccount;
  private readonly state: SimState;
  private readonly app: FastifyInstance;
  private readonly platformCallbacks: WechatPlatformCallback[] = [];
  private readonly inflight = new Set<Promise<void>>();
  /** Aborts platform callbacks still delivering when the simulator closes. */
  private readonly closing = new AbortController();

  private constructor(app: FastifyInstance, state: SimState, apiBase: string) {
    this.app = app;
    this.state = state;
    this.apiBase = apiBase;
    const first = [...state.accounts.values()][0];
    if (!first) throw new Error('the simulator has no account');
    this.account = first.account;
    state.onPublishFinished = (a, job) => this.sendPublishJobFinish(a, job);
  }

  /** @internal Use {@link startWechatSimulator}. */
  static async start(options: WechatSimulatorOptions = {}): Promise<WechatSimulator> {
    const state = new SimState(
      {
        publishDelayMs: options.publishDelayMs ?? 1000,
        callbackUrl: options.callbackUrl,
        callbackTimeoutMs: options.callbackTimeoutMs ?? 5000,
        callbackDeliveries: options.callbackDeliveries ?? 3,
        tempImageLimitBytes: options.tempImageLimitBytes ?? 2 * 1024 * 1024,
        materialLimits: options.materialLimits,
        logger: options.logger,
      },
      options.now ?? Date.now,
      options.dailyQuotas,
    );
    for (const init of options.accounts?.length ? options.accounts : [{}]) state.addAccount(init);
    const app = Fastify({ logger: false, bodyLimit: 16 * 1024 * 1024 });
    // WeChat reads every body itself (JSON whatever the Content-Type), so take raw bytes and parse per route.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    await app.register(multipart, { throwFileSizeLimit: false });
    mountApiRoutes(app, state, ALL_ROUTES);
    // Failures before a handler runs (an oversize JSON body…) still answer in WeChat's envelope, never an HTML page.
    app.setErrorHandler((err, req, reply) => {
      const inspect = req.url.startsWith('/_sim/');
      state.settings.logger?.warn({ err, path: req.url.split('?')[0] }, 'wechat simulator: request failed before its handler');
      const body = inspect ? { error: err instanceof Error ? err.message : String(err) } : errorEnvelope(-1, 'system error', state.now());
      void reply.code(inspect ? 400 : 200).header('content-type', WECHAT_JSON_CONTENT_TYPE).send(Buffer.from(JSON.stringify(body)));
    });
    app.setNotFoundHandler((req, reply) => {
      const body = req.url.startsWith('/_sim/') ? { error: `no inspection route ${req.method} ${req.url.split('?')[0]}` } : errorEnvelope(40066, 'invalid url', state.now());
      void reply.code(req.url.startsWith('/_sim/') ? 404 : 200).header('content-type', WECHAT_JSON_CONTENT_TYPE).send(Buffer.from(JSON.stringify(body)));
    });
    const started: { sim?: WechatSimulator } = {};
    mountInspectRoutes(app, () => {
      if (!started.sim) throw new Error('simulator not started');
      return started.sim;
    });
    const address = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
    const url = new URL(address);
    state.apiBase = `http://${url.host}`;
    started.sim = new WechatSimulator(app, state, state.apiBase);
    return started.sim;
  }

  /** Every account (the default one first). */
  accounts(): WechatSimAccount[] {
    return [...this.state.accounts.values()].map((a) => a.account);
  }

  /** Creates another account. */
  addAccount(init: SimAccountInit = {}): WechatSimAccount {
    return this.state.addAccount(init).account;
  }

  /** An account by AppID (throws when unknown). */
  getAccount(appId: string): WechatSimAccount {
    return this.state.accountOrThrow(appId).account;
  }

  /** Registers a follower (subscribed now) of an account (default account when omitted); returns its openid. */
  addFollower(options: { appId?: string; openid?: string } = {}): string {
    return this.accountState(options.appId).addFollower(options.openid, this.state.now()).openid;
  }

  /**
   * Records what a follower did, opening the 客服 window it grants (a message: 5 sends for 48 h; click/follow/scan:
   * 3 for 1 min). The follower is registered if new. `sendAsFollower` calls this for you.
   */
  interact(openid: string, trigger: InteractionTrigger = 'message', options: { appId?: string; scene?: string; qrScene?: number; qrSceneStr?: string } = {}): void {
    const a = options.appId !== undefined ? this.state.accountOrThrow(options.appId) : (this.state.accountOfFollower(openid) ?? this.accountState());
    const f = a.addFollower(openid, this.state.now());
    f.interact(trigger, this.state.now(), {
      ...(options.scene !== undefined ? { scene: options.scene } : {}),
      ...(options.qrScene !== undefined ? { qrScene: options.qrScene } : {}),
      ...(options.qrSceneStr !== undefined ? { qrSceneStr: options.qrSceneStr } : {}),
    });
  }

  /** Followers of one account, or of all. */
  followers(appId?: string): WechatSimFollower[] {
    const now = this.state.now();
    const accounts = appId === undefined ? [...this.state.accounts.values()] : [this.state.accountOrThrow(appId)];
    return accounts.flatMap((a) =>
      [...a.followers.values()].map((f) => ({
        appId: a.account.appId,
        openid: f.openid,
        subscribed: f.subscribed,
        window: f.window(now),
        typing: f.isTyping(now),
        receivedCount: f.received.length,
      })),
    );
  }

  /** Recorded API calls, oldest first. */
  calls(filter: { appId?: string; path?: string } = {}): WechatSimCall[] {
    return this.state.calls
      .filter((c) => (filter.appId === undefined || c.appId === filter.appId) && (filter.path === undefined || c.path === filter.path))
      .map((c) => ({ ...c }));
  }

  /** Changes an account's capabilities (verified, IP whitelist, how publishing ends). */
  setCapability(appId: string, change: Partial<WechatSimCapabilities>): WechatSimCapabilities {
    const a = this.state.accountOrThrow(appId);
    for (const key of Object.keys(change)) {
      if (!['verified', 'ipWhitelist', 'publishStatus', 'publishFailIdx'].includes(key)) throw new TypeError(`unknown capability "${key}"`);
    }
    for (const key of ['verified', 'ipWhitelist'] as const) {
      if (change[key] !== undefined && typeof change[key] !== 'boolean') throw new TypeError(`${key} must be true or false`);
    }
    if (change.publishStatus !== undefined && ![0, 2, 3, 4].includes(change.publishStatus)) {
      throw new TypeError(`publishStatus must be 0, 2, 3 or 4, got ${String(change.publishStatus)}`);
    }
    const failIdx = change.publishFailIdx;
    if (failIdx !== undefined && (!Array.isArray(failIdx) || !failIdx.every((i) => Number.isInteger(i) && i >= 1))) {
      throw new TypeError('publishFailIdx must be a list of 1-based article indexes');
    }
    a.setCapabilities(change);
    return { ...a.capabilities };
  }

  capabilities(appId: string): WechatSimCapabilities {
    return { ...this.state.accountOrThrow(appId).capabilities };
  }

  /** Where (and how) the platform POSTs its own events for an account. */
  setCallback(appId: string, callback: { url?: string | undefined; mode?: CallbackMode }): void {
    const a = this.state.accountOrThrow(appId);
    if ('url' in callback) a.callbackUrl = callback.url;
    if (callback.mode !== undefined) a.callbackMode = callback.mode;
  }

  /** Makes the next matching API call(s) fail with `errcode` (-1 busy, 45009, 45011, 40001, 40164, 48001…). */
  injectFault(fault: WechatSimFault): void {
    this.state.faults.add(fault);
  }

  faults(): WechatSimFault[] {
    return this.state.faults.list();
  }

  clearFaults(): void {
    this.state.faults.clear();
  }

  /** Server-side rotation: every token of the account stops working now (the next call gets 40001). */
  rotateToken(appId: string): void {
    this.state.accountOrThrow(appId);
    this.state.tokens.revokeAll(appId);
  }

  /** 客服 messages a follower received, oldest first (optionally only those at or after `since`, simulator clock). */
  received(openid: string, since = -Infinity): ReceivedCustomerMessage[] {
    const a = this.state.accountOfFollower(openid);
    return a ? (a.follower(openid)?.received ?? []).filter((m) => m.at >= since) : [];
  }

  /** Resolves once a follower has received `count` 客服 messages (at or after `since`); rejects after `timeoutMs`. */
  waitForCustomerService(openid: string, count: number, timeoutMs = 5000, since = -Infinity): Promise<ReceivedCustomerMessage[]> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const got = this.received(openid, since);
        if (got.length < count) return false;
        cleanup();
        resolve(got);
        return true;
      };
      const onReceived = (m: ReceivedCustomerMessage): void => {
        if (m.openid === openid) check();
      };
      const timer = setTimeout(() => {
        cleanup();
        const got = this.received(openid, since);
        reject(new Error(`follower ${openid} received ${got.length} of ${count} expected 客服 messages within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.state.events.off('received', onReceived);
      };
      this.state.events.on('received', onReceived);
      check();
    });
  }

  /** Stores a file a follower sends (image, voice, video) as temporary media; returns its MediaId and download URL. */
  storeFollowerMedia(init: { appId?: string; kind: MediaKind; bytes: Buffer; filename: string }): { mediaId: string; url: string } {
    const m = this.accountState(init.appId).media.receiveFromFollower(init.kind, init.bytes, init.filename, this.state.now());
    return { mediaId: m.id, url: this.fileUrl(m.id) };
  }

  /** Whether a media id is usable in a message of this account (live temporary media or material). */
  hasMedia(appId: string, mediaId: string, kinds?: readonly MediaKind[]): boolean {
    return this.state.accountOrThrow(appId).media.isSendable(mediaId, this.state.now(), kinds);
  }

  /** A stored file by media id or mmbiz-style URL (uploadimg, image materials), from any account. */
  file(idOrUrl: string): StoredMedia | undefined {
    const id = idOfMmbizUrl(idOrUrl) ?? idOrUrl;
    for (const a of this.state.accounts.values()) {
      const m = a.media.file(id);
      if (m) return m;
    }
    return undefined;
  }

  /** The simulator URL that serves a stored file's bytes. */
  fileUrl(id: string): string {
    return `${this.apiBase}/_sim/files/${id}`;
  }

  /** Publish jobs of all accounts (settling those whose delay has passed). */
  publishes(): WechatSimPublishJob[] {
    this.state.settlePublishJobs();
    return [...this.state.accounts.values()].flatMap((a) =>
      [...a.publishes.allJobs()].map((j) => ({
        appId: a.account.appId,
        publishId: j.publishId,
        status: j.status,
        submittedAt: j.submittedAt,
        ...(j.articleId !== undefined ? { articleId: j.articleId } : {}),
        ...(j.finishedAt !== undefined ? { finishedAt: j.finishedAt } : {}),
      })),
    );
  }

  /** Ends every publish job now, as if the delay had passed (PUBLISHJOBFINISH is sent). */
  finishPublishing(): void {
    for (const a of this.state.accounts.values()) for (const job of a.publishes.pending()) this.state.finishPublishJob(a, job);
  }

  /** Callbacks the platform sent on its own (PUBLISHJOBFINISH), oldest first. */
  callbacks(): WechatPlatformCallback[] {
    return [...this.platformCallbacks];
  }

  /** Resolves when every platform callback in flight has finished its deliveries. */
  async callbacksSettled(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all([...this.inflight]);
  }

  /** The platform clock, ms. */
  now(): number {
    return this.state.now();
  }

  /** Moves the platform clock forward (on top of the injected `now`). */
  advanceClock(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new TypeError('advanceClock: ms must be a non-negative number');
    this.state.advanceClock(ms);
    return this.state.now();
  }

  /** Forgets tokens, windows, received messages, media, drafts, publications, menus, faults, calls and clock moves; keeps accounts and followers. */
  reset(): void {
    this.state.reset();
    this.platformCallbacks.length = 0;
  }

  /** Stops the server; platform callbacks still delivering are dropped. */
  async close(): Promise<void> {
    this.state.cancelTimers();
    this.closing.abort();
    await this.callbacksSettled();
    await this.app.close();
  }

  private accountState(appId?: string): AccountState {
    if (appId !== undefined) return this.state.accountOrThrow(appId);
    return this.state.accountOrThrow(this.account.appId);
  }

  private sendPublishJobFinish(a: AccountState, job: PublishJob): void {
    const url = a.callbackUrl;
    if (!url) return;
    const xml = publishJobFinishXml({ ghId: a.account.ghId, fromOpenid: a.mphelperOpenid, createTime: Math.floor(this.state.now() / 1000), job });
    const record: WechatPlatformCallback = { at: this.state.now(), appId: a.account.appId, event: 'PUBLISHJOBFINISH', url, mode: a.callbackMode, xml, deliveries: [], done: false };
    this.platformCallbacks.push(record);
    const run = deliverCallback({
      url,
      account: a.account,
      mode: a.callbackMode,
      openid: a.mphelperOpenid,
      xml,
      timeoutMs: this.state.settings.callbackTimeoutMs,
      deliveries: this.state.settings.callbackDeliveries,
      now: () => this.state.now(),
      signal: this.closing.signal,
      onExchange: (e) => {
        record.deliveries.push({
          n: e.n,
          startedAt: e.startedAt,
          endedAt: e.endedAt,
          result: e.result,
          ...(e.status !== undefined ? { status: e.status } : {}),
          ...(e.body !== undefined ? { body: e.body.toString('utf8') } : {}),
          ...(e.error !== undefined ? { error: e.error } : {}),
        });
      },
    })
      .catch((err: unknown) => this.state.settings.logger?.warn({ err, appId: a.account.appId }, 'wechat simulator: PUBLISHJOBFINISH delivery failed'))
      .then(() => {
        record.done = true;
        this.inflight.delete(run);
      });
    this.inflight.add(run);
  }
}

/** Starts a WeChat platform simulator on 127.0.0.1 (a free port by default). */
export function startWechatSimulator(options: WechatSimulatorOptions = {}): Promise<WechatSimulator> {
  return WechatSimulator.start(options);
}
