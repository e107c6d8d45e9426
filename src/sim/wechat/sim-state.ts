import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { AccountState } from './account-state.js';
import { DailyQuota, beijingDay } from './daily-quota.js';
import { FaultInjector } from './faults.js';
import type { MediaKind } from './media-library.js';
import type { PublishJob } from './publish-jobs.js';
import { TokenRegistry } from './tokens.js';
import type { ReceivedCustomerMessage, SimAccountInit, WechatSimCall } from './types.js';

/** Resolved simulator settings shared by every route. */
export interface SimSettings {
  publishDelayMs: number;
  callbackUrl: string | undefined;
  callbackTimeoutMs: number;
  callbackDeliveries: number;
  tempImageLimitBytes: number;
  materialLimits: Partial<Record<MediaKind, number>> | undefined;
  logger: Logger | undefined;
}

const MAX_RECORDED_CALLS = 10_000;

/** The whole simulated platform: accounts, tokens, faults, quotas, the clock and the call log. */
export class SimState {
  readonly accounts = new Map<string, AccountState>();
  readonly tokens = new TokenRegistry();
  readonly faults = new FaultInjector();
  readonly quotas: DailyQuota;
  readonly calls: WechatSimCall[] = [];
  /** `received` (ReceivedCustomerMessage) after each accepted 客服 message. */
  readonly events = new EventEmitter<{ received: [ReceivedCustomerMessage] }>();
  /** The base URL once listening (for URLs the platform hands out, e.g. video down_url). */
  apiBase = '';
  /** Called once a publish job ends (the simulator POSTs PUBLISHJOBFINISH). */
  onPublishFinished: (account: AccountState, job: PublishJob) => void = () => {};
  private clockOffsetMs = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly baseNow: () => number;

  constructor(
    readonly settings: SimSettings,
    now: () => number,
    dailyQuotas: Record<string, number> | undefined,
  ) {
    this.baseNow = now;
    this.quotas = new DailyQuota(dailyQuotas);
  }

  /** The platform clock (ms): the injected clock plus what `advanceClock` added. */
  now(): number {
    return this.baseNow() + this.clockOffsetMs;
  }

  advanceClock(ms: number): void {
    this.clockOffsetMs += ms;
  }

  dayOf(ms: number): number {
    return beijingDay(ms);
  }

  addAccount(init: SimAccountInit): AccountState {
    const a = new AccountState(init, { ...this.settings, callbackUrl: this.settings.callbackUrl, now: this.now() });
    if (this.accounts.has(a.account.appId)) throw new TypeError(`an account with appId ${a.account.appId} already exists`);
    this.accounts.set(a.account.appId, a);
    return a;
  }

  /** The account, or a TypeError naming the unknown appId (for programmatic callers, not the API). */
  accountOrThrow(appId: string): AccountState {
    const a = this.accounts.get(appId);
    if (!a) throw new TypeError(`no simulated account with appId ${appId}`);
    return a;
  }

  /** The account a follower belongs to. */
  accountOfFollower(openid: string): AccountState | undefined {
    for (const a of this.accounts.values()) if (a.followers.has(openid)) return a;
    return undefined;
  }

  record(call: WechatSimCall): void {
    this.calls.push(call);
    if (this.calls.length > MAX_RECORDED_CALLS) this.calls.splice(0, this.calls.length - MAX_RECORDED_CALLS);
  }

  /** Ends every publish job whose delay has passed on the platform clock; returns how many ended. */
  settlePublishJobs(): number {
    let n = 0;
    for (const a of this.accounts.values()) {
      for (const job of a.publishes.pending()) {
        if (this.now() - job.submittedAt >= this.settings.publishDelayMs) {
          this.finishPublishJob(a, job);
          n++;
        }
      }
    }
    return n;
  }

  /**
   * Ends a job after `publishDelayMs` of real time, or earlier when a freepublish call finds the platform clock
   * past the delay (tests that move the clock need not wait).
   */
  schedulePublish(a: AccountState, job: PublishJob): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.finishPublishJob(a, job);
    }, this.settings.publishDelayMs);
    timer.unref();
    this.timers.add(timer);
  }

  /** Stops pending publish timers (close, reset). */
  cancelTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** Ends a job now (timer or lazy settle): a successful job removes its draft and gets an article_id. */
  finishPublishJob(a: AccountState, job: PublishJob): void {
    if (!a.publishes.finish(job, this.now())) return;
    if (job.status === 0) {
      try {
        a.drafts.delete(job.draftMediaId);
      } catch {
        // The draft was deleted while publishing; the publication stands.
      }
    }
    this.onPublishFinished(a, job);
  }

  /** Forgets all activity; accounts and their followers stay. */
  reset(): void {
    this.cancelTimers();
    this.tokens.clear();
    this.faults.clear();
    this.quotas.clear();
    this.calls.length = 0;
    this.clockOffsetMs = 0;
    for (const a of this.accounts.values()) a.reset();
  }
}
