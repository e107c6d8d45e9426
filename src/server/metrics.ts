import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { BackupSchedulerCounters } from '../backup/scheduler.js';
import type { WebhookEvent } from '../gateway/webhook.js';

/** The Prometheus metrics of one server (a registry of its own, so several servers can live in one process). */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly #deliveries = new Counter({
    name: 'mpgate_webhook_deliveries_total',
    help: 'WeChat deliveries handled, by account and outcome (reply, success, late, no-reply, inline)',
    labelNames: ['account', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly #refused = new Counter({
    name: 'mpgate_webhook_refused_total',
    help: 'Requests refused before any processing, by account and HTTP status',
    labelNames: ['account', 'status'] as const,
    registers: [this.registry],
  });
  readonly storeUp = new Gauge({
    name: 'mpgate_store_up',
    help: '1 when the store answered the last readiness check',
    registers: [this.registry],
  });

  readonly #accounts: ReadonlySet<string>;

  /** `accounts`: the configured account ids; any other id a request names is counted as `(unknown)`. */
  constructor(accounts: Iterable<string> = []) {
    this.#accounts = new Set(accounts);
    collectDefaultMetrics({ register: this.registry, prefix: 'mpgate_' });
  }

  /** Exposes the scheduled backups' counters (read at every scrape). */
  watchBackups(counters: () => BackupSchedulerCounters): void {
    const gauge = (name: string, help: string, read: (c: BackupSchedulerCounters) => number | undefined): void => {
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          const value = read(counters());
          if (value !== undefined) this.set(value);
        },
      });
    };
    gauge('mpgate_backup_runs_total', 'Scheduled Dify backups started', (c) => c.runs);
    gauge('mpgate_backup_failures_total', 'Scheduled Dify backups that did not back up every app', (c) => c.failures);
    gauge('mpgate_backup_apps_failed', 'Apps that failed in the most recent backup', (c) => c.appsFailed);
    gauge('mpgate_backup_last_success_timestamp_seconds', 'When the last complete backup finished', (c) =>
      c.lastSuccessAt ? c.lastSuccessAt.getTime() / 1000 : undefined,
    );
  }

  /** Counts one webhook outcome. */
  observe(event: WebhookEvent): void {
    // A label per made-up account id would let anyone grow the metrics without bound.
    const account = this.#accounts.has(event.accountId) ? event.accountId : '(unknown)';
    if (event.type === 'refused') this.#refused.inc({ account, status: String(event.status) });
    else this.#deliveries.inc({ account, outcome: event.outcome });
  }
}
