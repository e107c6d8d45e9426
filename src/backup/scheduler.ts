import { Cron } from 'croner';
import { pino, type Logger } from 'pino';
import { runBackup, type BackupOptions, type BackupResult } from './backup.js';
import type { BackupsConfig } from './config-schema.js';
import { resolveDifyTarget } from './dify-target.js';
import { describeFailure } from './failure-text.js';

/** Options of a `BackupScheduler`. */
export interface BackupSchedulerOptions {
  /** The parsed `backups:` section. */
  config: BackupsConfig;
  /** Where the credentials are read from, at every run (so a rotated secret is picked up). Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Default: silent. */
  logger?: Logger;
  /** Extra backup settings (retry policy, timeouts; tests shrink them). */
  backup?: Partial<Omit<BackupOptions, 'target' | 'out' | 'keep'>>;
  /** The backup to run (tests replace it). */
  run?: (options: BackupOptions) => Promise<BackupResult>;
}

/** Counters for logs and `/metrics`. */
export interface BackupSchedulerCounters {
  /** Runs started since the scheduler was made. */
  runs: number;
  /** Runs that did not back up every app (including runs that could not start: login, network, missing env var). */
  failures: number;
  /** Apps that failed in the most recent run (0 after a complete run). */
  appsFailed: number;
  lastSuccessAt: Date | undefined;
  lastFailureAt: Date | undefined;
  /** Why the most recent failed run failed. */
  lastError: string | undefined;
  /** The archive of the most recent run. */
  lastArchive: string | undefined;
  running: boolean;
  /** The next scheduled run, while started. */
  nextRunAt: Date | undefined;
}

/** The outcome of one scheduled run. */
export type BackupRunOutcome = { ok: true; result: BackupResult } | { ok: false; result?: BackupResult; error: string };

/**
 * Runs Dify backups on a cron schedule into dated archives with retention (`backups:` config). Runs
 * never overlap; each failure is logged (with every failed app and why) and counted.
 */
export class BackupScheduler {
  readonly #config: BackupsConfig;
  readonly #env: NodeJS.ProcessEnv;
  readonly #logger: Logger;
  readonly #backup: BackupSchedulerOptions['backup'];
  readonly #run: (options: BackupOptions) => Promise<BackupResult>;
  #cron: Cron | undefined;
  #current: Promise<BackupRunOutcome> | undefined;
  readonly #counters: Omit<BackupSchedulerCounters, 'running' | 'nextRunAt'> = {
    runs: 0,
    failures: 0,
    appsFailed: 0,
    lastSuccessAt: undefined,
    lastFailureAt: undefined,
    lastError: undefined,
    lastArchive: undefined,
  };

  constructor(options: BackupSchedulerOptions) {
    this.#config = options.config;
    this.#env = options.env ?? process.env;
    this.#logger = options.logger ?? pino({ level: 'silent' });
    this.#backup = options.backup;
    this.#run = options.run ?? runBackup;
  }

  /** Starts the schedule (no-op when `enabled: false` or already started). */
  start(): void {
    if (!this.#config.enabled || this.#cron) return;
    this.#cron = new Cron(this.#config.cron, { ...(this.#config.timezone ? { timezone: this.#config.timezone } : {}), protect: true }, async () => {
      await this.runNow();
    });
    this.#logger.info({ cron: this.#config.cron, target: this.#config.target, nextRunAt: this.#cron.nextRun() }, 'dify backups scheduled');
  }

  /** Stops the schedule and waits for a run in progress to finish. */
  async stop(): Promise<void> {
    this.#cron?.stop();
    this.#cron = undefined;
    await this.#current;
  }

  /** A snapshot of the counters. */
  get counters(): BackupSchedulerCounters {
    return { ...this.#counters, running: this.#current !== undefined, nextRunAt: this.#cron?.nextRun() ?? undefined };
  }

  /** Runs a backup now; while one is running, returns that one instead of starting another. */
  runNow(): Promise<BackupRunOutcome> {
    this.#current ??= this.#runOnce().finally(() => {
      this.#current = undefined;
    });
    return this.#current;
  }

  async #runOnce(): Promise<BackupRunOutcome> {
    const config = this.#config;
    this.#counters.runs += 1;
    let outcome: BackupRunOutcome;
    try {
      const target = resolveDifyTarget(
        { url: config.url, email: config.email, passwordEnv: config.passwordEnv, apiKeyEnv: config.apiKeyEnv, workspace: config.workspace },
        this.#env,
        { passwordEnv: 'backups.passwordEnv', apiKeyEnv: 'backups.apiKeyEnv' },
      );
      const result = await this.#run({
        ...this.#backup,
        target,
        out: config.target,
        keep: config.keep,
        zip: config.zip,
        versions: config.versions,
        annotations: config.annotations,
        includeSecret: config.includeSecret,
        concurrency: config.concurrency,
        ...(config.mode ? { modes: config.mode } : {}),
        logger: this.#logger,
      });
      this.#counters.lastArchive = result.archive;
      this.#counters.appsFailed = result.failed.length;
      outcome = result.ok
        ? { ok: true, result }
        : { ok: false, result, error: `${result.failed.length} of ${result.apps.length} apps failed: ${result.failed.map((app) => `"${app.name}" (${app.id}): ${app.error}`).join('; ')}` };
    } catch (err) {
      this.#counters.appsFailed = 0;
      outcome = { ok: false, error: describeFailure(err) };
    }
    if (outcome.ok) {
      this.#counters.lastSuccessAt = new Date();
      this.#logger.info({ archive: outcome.result.archive, apps: outcome.result.apps.length, pruned: outcome.result.pruned.length }, 'scheduled dify backup finished');
    } else {
      this.#counters.failures += 1;
      this.#counters.lastFailureAt = new Date();
      this.#counters.lastError = outcome.error;
      this.#logger.error(
        { archive: outcome.result?.archive, failed: outcome.result?.failed.map((app) => ({ id: app.id, name: app.name, error: app.error })) },
        `scheduled dify backup failed: ${outcome.error}`,
      );
    }
    return outcome;
  }
}
