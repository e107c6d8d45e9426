import type { Logger } from 'pino';
import type { DifyAppParameters } from '../dify/service/app-info.js';
import { appFeatures, type AppFeatures } from './app-features.js';

export interface AppParametersOptions {
  /** How long a read is trusted before Dify is asked again (an edited app takes effect after this). Default 5 min. */
  ttlMs?: number;
  /** After a failed read with nothing known yet, how long before trying again. Default 30 s. */
  retryMs?: number;
  now?: () => number;
  logger?: Logger | undefined;
}

/**
 * An app's `/parameters`, read once and cached: concurrent callers share one request; a failed refresh keeps
 * the last good answer; with none, `get()` resolves undefined (callers then send only what needs no knowledge of
 * the app) and Dify is not asked again before `retryMs`.
 */
export class AppParameters {
  readonly #load: () => Promise<DifyAppParameters>;
  readonly #ttlMs: number;
  readonly #retryMs: number;
  readonly #now: () => number;
  readonly #log: Logger | undefined;
  #known: AppFeatures | undefined;
  #freshUntil = 0;
  #inflight: Promise<AppFeatures | undefined> | undefined;

  constructor(load: () => Promise<DifyAppParameters>, options: AppParametersOptions = {}) {
    this.#load = load;
    this.#ttlMs = options.ttlMs ?? 300_000;
    this.#retryMs = options.retryMs ?? 30_000;
    this.#now = options.now ?? Date.now;
    this.#log = options.logger;
  }

  /** The app's features, or undefined when they could never be read. */
  get(): Promise<AppFeatures | undefined> {
    if (this.#now() < this.#freshUntil) return Promise.resolve(this.#known);
    this.#inflight ??= this.#refresh().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  async #refresh(): Promise<AppFeatures | undefined> {
    try {
      this.#known = appFeatures(await this.#load());
      this.#freshUntil = this.#now() + this.#ttlMs;
    } catch (err) {
      // Keep what we knew; without it, do not ask again for every message.
      this.#freshUntil = this.#now() + (this.#known ? Math.min(this.#retryMs, this.#ttlMs) : this.#retryMs);
      this.#log?.warn({ err, endpoint: 'GET /parameters', known: this.#known !== undefined }, 'cannot read the Dify app parameters');
    }
    return this.#known;
  }
}
