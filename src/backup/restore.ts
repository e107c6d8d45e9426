import { pino, type Logger } from 'pino';
import type { DifyConsoleClient } from '../dify/console-client.js';
import type { DifyImport, DifyPluginDependency } from '../dify/console/imports.js';
import { DifyLoginError } from '../dify/errors.js';
import { openArchive, type ArchiveSource } from './archive-source.js';
import { forEachBounded } from './bounded-pool.js';
import { createConsoleClient, type DifyTarget } from './dify-target.js';
import { BackupConnectError, BackupUsageError } from './errors.js';
import { describeFailure } from './failure-text.js';
import type { ManifestApp } from './manifest.js';
import { DEFAULT_RETRY_POLICY, withRetry, type RetryPolicy } from './retry.js';
import { verifyArchive, type VerifyReport } from './verify.js';

/** What to do when the target already has an app with the same id or name. */
export type ConflictPolicy = 'skip' | 'rename' | 'new';
export const CONFLICT_POLICIES: readonly ConflictPolicy[] = ['skip', 'rename', 'new'];

/** Default number of imports run at once. */
export const DEFAULT_RESTORE_CONCURRENCY = 2;

/** Options of `runRestore`. */
export interface RestoreOptions {
  /** The archive (directory or zip). */
  archive: string;
  /** The Dify to import into. */
  target: DifyTarget;
  /** Only these apps, each given by id or exact name; default all. */
  only?: readonly string[];
  /** Print the plan only: log in and read the target's apps, but send no import. */
  dryRun?: boolean;
  /** Default `skip`. */
  onConflict?: ConflictPolicy;
  /** Imports run at once (default 2). */
  concurrency?: number;
  /** Retries of the reads (app list, dependency checks). Imports are never repeated. */
  retry?: Partial<RetryPolicy>;
  requestTimeoutMs?: number;
  logger?: Logger;
  onProgress?: (result: RestoreAppResult, done: number, total: number) => void;
  client?: DifyConsoleClient;
  fetch?: typeof fetch;
}

/** The plan for one app of the archive. */
export interface RestorePlanItem {
  id: string;
  name: string;
  mode: string;
  file: string;
  /** `import` as is, `rename` (import under `importName`), or `skip` (a conflict, policy skip). */
  action: 'import' | 'rename' | 'skip';
  /** The name the app is imported under, when it differs from the archived one. */
  importName?: string;
  /** The target's app this one conflicts with. */
  conflictWith?: { id: string; name: string };
}

/** The outcome of one app. */
export interface RestoreAppResult extends RestorePlanItem {
  /** `planned` in a dry run. */
  status: 'imported' | 'skipped' | 'failed' | 'planned';
  /** The app created (or overwritten) in the target. */
  newAppId?: string;
  /** Dify's import status (`completed`, `completed-with-warnings`; `pending` ones are confirmed). */
  importStatus?: DifyImport['status'];
  /** The import needed a confirmation (a DSL version mismatch). */
  confirmed?: boolean;
  /** Plugins the app needs that the target lacks (from check-dependencies). */
  missingPlugins: string[];
  warnings: string[];
  error?: string;
}

/** The outcome of `runRestore`. */
export interface RestoreResult {
  /** True when the archive verified and no import failed. */
  ok: boolean;
  dryRun: boolean;
  verify: VerifyReport;
  difyVersion: string | undefined;
  apps: RestoreAppResult[];
  failed: RestoreAppResult[];
}

/**
 * Restores apps from an archive: verifies it first (and stops if it does not verify), then imports each
 * selected DSL through Dify's imports API (yaml-content), confirms pending imports, and reports the
 * plugins each app is missing. Conflicts with apps already in the target follow `onConflict`.
 */
export async function runRestore(options: RestoreOptions): Promise<RestoreResult> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const retry: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const policy = options.onConflict ?? 'skip';
  if (!CONFLICT_POLICIES.includes(policy)) throw new BackupUsageError(`--on-conflict must be one of ${CONFLICT_POLICIES.join(', ')} (got "${String(policy)}")`);
  const concurrency = options.concurrency ?? DEFAULT_RESTORE_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) throw new BackupUsageError(`--concurrency must be a whole number from 1 to 16 (got ${concurrency})`);
  const dryRun = options.dryRun === true;

  const verify = await verifyArchive(options.archive);
  if (!verify.ok || !verify.manifest) return { ok: false, dryRun, verify, difyVersion: undefined, apps: [], failed: [] };
  const selected = selectApps(verify.manifest.apps, options.only);

  const client = options.client ?? createConsoleClient(options.target, { timeoutMs: options.requestTimeoutMs, logger, fetch: options.fetch });
  try {
    await client.login();
  } catch (err) {
    if (err instanceof DifyLoginError) throw err;
    throw new BackupConnectError(options.target.url, describeFailure(err), { cause: err });
  }
  const existing = await withRetry(() => client.apps.list(), retry);
  const plan = planRestore(selected, existing, policy);

  const results: RestoreAppResult[] = [];
  let done = 0;
  if (dryRun) {
    for (const item of plan) {
      results.push({ ...item, status: 'planned', missingPlugins: [], warnings: [] });
      options.onProgress?.(results.at(-1) as RestoreAppResult, ++done, plan.length);
    }
    return { ok: true, dryRun, verify, difyVersion: client.version, apps: results, failed: [] };
  }

  const source = await openArchive(options.archive);
  try {
    const slots: RestoreAppResult[] = new Array(plan.length);
    await forEachBounded(plan, concurrency, async (item, index) => {
      const result = item.action === 'skip' ? { ...item, status: 'skipped' as const, missingPlugins: [], warnings: [] } : await importOne(client, source, item, retry, logger);
      slots[index] = result;
      options.onProgress?.(result, ++done, plan.length);
    });
    results.push(...slots);
  } finally {
    await source.close();
  }
  const failed = results.filter((r) => r.status === 'failed');
  return { ok: failed.length === 0, dryRun, verify, difyVersion: client.version, apps: results, failed };
}

/** The archive's apps picked by `--only` (ids or exact names); an unknown selector is a usage error. */
export function selectApps(apps: readonly ManifestApp[], only: readonly string[] | undefined): ManifestApp[] {
  if (only === undefined || only.length === 0) return [...apps];
  const unknown = only.filter((sel) => !apps.some((app) => app.id === sel || app.name === sel));
  if (unknown.length > 0) {
    throw new BackupUsageError(`--only: no app in the archive has the id or name ${unknown.map((u) => `"${u}"`).join(', ')}`);
  }
  return apps.filter((app) => only.includes(app.id) || only.includes(app.name));
}

/** Decides per app: import, import under another name, or skip, given the apps the target has. */
export function planRestore(apps: readonly ManifestApp[], existing: ReadonlyArray<{ id: string; name: string }>, policy: ConflictPolicy): RestorePlanItem[] {
  const byId = new Map(existing.map((app) => [app.id, app]));
  const taken = new Set(existing.map((app) => app.name));
  const byName = new Map(existing.map((app) => [app.name, app]));
  return apps.map((app) => {
    const base = { id: app.id, name: app.name, mode: app.mode, file: app.file };
    const conflict = byId.get(app.id) ?? byName.get(app.name);
    if (!conflict || policy === 'new') {
      taken.add(app.name);
      return { ...base, action: 'import' as const, ...(conflict ? { conflictWith: { id: conflict.id, name: conflict.name } } : {}) };
    }
    const conflictWith = { id: conflict.id, name: conflict.name };
    if (policy === 'skip') return { ...base, action: 'skip' as const, conflictWith };
    let importName = `${app.name} (restored)`;
    for (let n = 2; taken.has(importName); n += 1) importName = `${app.name} (restored ${n})`;
    taken.add(importName);
    return { ...base, action: 'rename' as const, importName, conflictWith };
  });
}

async function importOne(client: DifyConsoleClient, source: ArchiveSource, item: RestorePlanItem, retry: RetryPolicy, logger: Logger): Promise<RestoreAppResult> {
  const result: RestoreAppResult = { ...item, status: 'failed', missingPlugins: [], warnings: [] };
  try {
    const yaml = (await source.read(item.file)).toString('utf8');
    // An import is not repeated on failure: a timed-out POST may already have created the app.
    let outcome = await client.imports.create({ yaml_content: yaml, ...(item.importName ? { name: item.importName } : {}) });
    if (outcome.status === 'pending') {
      outcome = await client.imports.confirm(outcome.id);
      result.confirmed = true;
    }
    result.importStatus = outcome.status;
    if (outcome.status === 'failed' || !outcome.app_id) {
      result.error = `import failed: ${outcome.error || `ended as ${outcome.status} without an app id`}`;
      return result;
    }
    result.status = 'imported';
    result.newAppId = outcome.app_id;
    if (outcome.status === 'completed-with-warnings') {
      result.warnings.push(`imported with warnings: the DSL is version ${outcome.imported_dsl_version}, this Dify writes ${outcome.current_dsl_version}`);
    }
  } catch (err) {
    result.error = `import failed: ${describeFailure(err)}`;
    logger.warn({ app: item.id, error: result.error }, 'dify import failed');
    return result;
  }
  try {
    const leaked = await withRetry(() => client.imports.checkDependencies(result.newAppId as string), retry);
    result.missingPlugins = leaked.map(pluginLabel);
  } catch (err) {
    result.warnings.push(`could not check plugin dependencies: ${describeFailure(err)}`);
  }
  return result;
}

/** `langgenius/openai:0.2.6` from a dependency (the `@checksum` left out). */
export function pluginLabel(dependency: DifyPluginDependency): string {
  const value = dependency.value ?? {};
  const id = ['marketplace_plugin_unique_identifier', 'github_plugin_unique_identifier', 'plugin_unique_identifier', 'package']
    .map((key) => value[key])
    .find((v): v is string => typeof v === 'string' && v !== '');
  return id ? (id.split('@')[0] ?? id) : JSON.stringify(value);
}
