import fs from 'node:fs/promises';
import { pino, type Logger } from 'pino';
import type { DifyConsoleClient } from '../dify/console-client.js';
import type { ConsoleApp, ConsoleAppMode } from '../dify/console/apps.js';
import { DifyLoginError } from '../dify/errors.js';
import { VERSION } from '../version.js';
import { exportApp, type ExportedApp } from './app-export.js';
import { ArchiveWriter } from './archive-writer.js';
import { forEachBounded } from './bounded-pool.js';
import { createConsoleClient, publicUrl, type DifyTarget } from './dify-target.js';
import { BackupConnectError, BackupUsageError } from './errors.js';
import { describeFailure } from './failure-text.js';
import { ARCHIVE_FORMAT_VERSION, referencedFiles, type Manifest, type ManifestApp, type ManifestFailure } from './manifest.js';
import { allocateDatedArchive, pruneDatedArchives } from './retention.js';
import { DEFAULT_RETRY_POLICY, withRetry, type RetryPolicy } from './retry.js';
import { createZipStaging, seedFromPreviousZip, zipStaging } from './zip-staging.js';

/** Default number of apps exported at once. */
export const DEFAULT_BACKUP_CONCURRENCY = 4;

/** App modes `--mode` accepts (Dify's list filter). */
export const BACKUP_MODE_FILTERS = ['chat', 'agent-chat', 'advanced-chat', 'workflow', 'completion', 'channel', 'all'] as const;

/** Options of `runBackup`. */
export interface BackupOptions {
  /** The Dify console and its credentials (see `resolveDifyTarget`). */
  target: DifyTarget;
  /**
   * The archive directory (or zip file with `zip`). With `keep`, the parent folder in which each run
   * creates a dated archive (`dify-backup-2026-11-22T04-05-06Z[.zip]`).
   */
  out: string;
  /** Write a zip of the archive layout instead of a directory (`.zip` is appended when missing). */
  zip?: boolean;
  /** Retention in `out`: keep the newest `keep` complete dated archives. */
  keep?: number;
  /** Export secret environment variables and credential ids too (off by default). */
  includeSecret?: boolean;
  /** Also export every published workflow version (all pages). Needs Dify ≥ 1.8.1. */
  versions?: boolean;
  /** Also export each app's annotations. */
  annotations?: boolean;
  /** Only apps of these modes (Dify's stored mode); default all. */
  modes?: readonly string[];
  /** Apps exported at once (default 4). */
  concurrency?: number;
  /** Retries of transient failures (network, timeouts, 5xx, 429) per request. */
  retry?: Partial<RetryPolicy>;
  /** Per request (default 60 000 ms). */
  requestTimeoutMs?: number;
  /** Default: silent. */
  logger?: Logger;
  /** Called as the backup goes: once the apps are listed, then once per app. */
  onProgress?: (event: BackupProgressEvent) => void;
  /** A ready client (tests, or a caller that shares one); otherwise one is made from `target`. */
  client?: DifyConsoleClient;
  /** Clock (tests). */
  now?: () => Date;
  /** Passed to the client (tests inject failures with it). */
  fetch?: typeof fetch;
}

/** What happened to one app. */
export type BackupAppStatus = 'saved' | 'unchanged' | 'failed';

/** Progress of a backup. */
export type BackupProgressEvent =
  | { type: 'listed'; total: number; archive: string; difyVersion: string | undefined }
  | { type: 'app'; app: { id: string; name: string; mode: string }; status: BackupAppStatus; error?: string; done: number; total: number };

/** The outcome of one app. */
export interface BackupAppResult {
  id: string;
  name: string;
  mode: string;
  status: BackupAppStatus;
  /** Why it failed. */
  error?: string;
  /** A failed app whose older copy stays in the archive. */
  keptPreviousCopy?: boolean;
}

/** The outcome of `runBackup`. */
export interface BackupResult {
  /** True when every app was exported. */
  ok: boolean;
  /** The archive written (directory or zip). */
  archive: string;
  difyVersion: string | undefined;
  apps: BackupAppResult[];
  failed: BackupAppResult[];
  manifest: Manifest;
  /** Dated archives deleted by `keep`. */
  pruned: string[];
}

/**
 * Backs up every app of a Dify workspace into an archive: lists every app (all pages), exports each DSL
 * with bounded concurrency and per-request retries, optionally every published version and the
 * annotations, and writes the archive (manifest last, atomically). Apps that fail are reported, never
 * dropped silently; everything that succeeded is kept. Throws only when nothing can be backed up: bad
 * usage (`BackupUsageError`), login (`DifyLoginError`), Dify unreachable (`BackupConnectError`), or
 * the app list failing.
 */
export async function runBackup(options: BackupOptions): Promise<BackupResult> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const retry: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const concurrency = options.concurrency ?? DEFAULT_BACKUP_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new BackupUsageError(`--concurrency must be a whole number from 1 to 64 (got ${concurrency})`);
  if (options.keep !== undefined && (!Number.isInteger(options.keep) || options.keep < 1)) throw new BackupUsageError(`--keep must be a whole number ≥ 1 (got ${options.keep})`);
  const modes = normalizeModes(options.modes);
  const client = options.client ?? createConsoleClient(options.target, { timeoutMs: options.requestTimeoutMs, logger, fetch: options.fetch });

  await logIn(client, options.target.url);
  const difyVersion = client.version;
  if (options.versions && difyVersion !== undefined && !client.isVersionAtLeast('1.8.1')) {
    throw new BackupUsageError(`--versions needs Dify 1.8.1 or later (exporting a published version by workflow_id); this Dify is ${difyVersion}`);
  }
  const apps = await listApps(client, modes, retry);
  const workspace = await currentWorkspace(client, options.target, retry, logger);

  const location = await archiveLocation(options, startedAt);
  const staging = options.zip ? await createZipStaging(location) : undefined;
  const fileModes = options.includeSecret ? { fileMode: 0o600, dirMode: 0o700 } : {};
  let writer: ArchiveWriter | undefined;
  try {
    if (staging !== undefined) await seedFromPreviousZip(location, staging);
    writer = await ArchiveWriter.open(staging ?? location, fileModes);
    const run: BackupRun = { options, client, logger, retry, concurrency, startedAt, apps, writer };
    options.onProgress?.({ type: 'listed', total: apps.length, archive: location, difyVersion });
    logger.info({ apps: apps.length, archive: location, difyVersion }, 'dify backup started');
    const outcome = await exportAll(run);
    const manifest: Manifest = {
      formatVersion: ARCHIVE_FORMAT_VERSION,
      ...(difyVersion !== undefined ? { difyVersion } : {}),
      createdAt: startedAt.toISOString(),
      tool: `mpgate ${VERSION}`,
      source: { url: publicUrl(options.target.url), ...workspace },
      options: { includeSecret: options.includeSecret === true, versions: options.versions === true, annotations: options.annotations === true, ...(modes ? { modes } : {}) },
      apps: outcome.entries.sort(byNameThenId),
      ...(outcome.failures.length > 0 ? { failures: outcome.failures.sort(byNameThenId) } : {}),
    };
    await writer.commit(manifest);
    if (staging !== undefined) await zipStaging(staging, location, manifest, fileModes.fileMode);

    const pruned = options.keep !== undefined ? await pruneDatedArchives(options.out, options.keep) : [];
    const failed = outcome.results.filter((r) => r.status === 'failed').sort(byNameThenId);
    logger.info({ archive: location, apps: apps.length, failed: failed.length, pruned: pruned.length }, 'dify backup finished');
    return { ok: failed.length === 0, archive: location, difyVersion, apps: outcome.results.sort(byNameThenId), failed, manifest, pruned };
  } catch (err) {
    await writer?.abort();
    throw err;
  } finally {
    if (staging !== undefined) await fs.rm(staging, { recursive: true, force: true });
  }
}

/** What one backup run works with. */
interface BackupRun {
  options: BackupOptions;
  client: DifyConsoleClient;
  logger: Logger;
  retry: RetryPolicy;
  concurrency: number;
  startedAt: Date;
  apps: ConsoleApp[];
  writer: ArchiveWriter;
}

/** Exports every app and stages its files; failures are collected per app, never thrown. */
async function exportAll(run: BackupRun): Promise<{ entries: ManifestApp[]; failures: ManifestFailure[]; results: BackupAppResult[] }> {
  const { options, writer, apps } = run;
  const previousById = new Map((writer.previous?.apps ?? []).map((app) => [app.id, app]));
  const entries: ManifestApp[] = [];
  const failures: ManifestFailure[] = [];
  const results: BackupAppResult[] = [];
  let sessionLost: string | undefined;

  const finish = (app: ConsoleApp, result: BackupAppResult): void => {
    if (result.status === 'failed') {
      const previous = previousById.get(app.id);
      if (previous) {
        for (const ref of referencedFiles({ ...emptyManifest(), apps: [previous] })) writer.keep(ref.file);
        entries.push(previous);
        result.keptPreviousCopy = true;
      }
      failures.push({ id: app.id, name: app.name, mode: app.mode, error: result.error ?? 'unknown error', ...(previous ? { keptPreviousCopy: true } : {}) });
      run.logger.warn({ app: app.id, name: app.name, error: result.error }, 'dify app export failed');
    }
    results.push(result);
    const base = { id: app.id, name: app.name, mode: app.mode };
    options.onProgress?.({ type: 'app', app: base, status: result.status, ...(result.error ? { error: result.error } : {}), done: results.length, total: apps.length });
  };
  const failure = (app: ConsoleApp, err: unknown): BackupAppResult => {
    // A lost session fails every later request: stop sending them.
    if (err instanceof DifyLoginError) sessionLost ??= `the Dify session was lost (${err.message})`;
    return { id: app.id, name: app.name, mode: app.mode, status: 'failed', error: describeFailure(err) };
  };

  // `concurrency` bounds the requests in flight to Dify; an app is written to disk after its slot is
  // released, so the next export is not held up by the file system.
  const stores: Promise<void>[] = [];
  await forEachBounded(apps, run.concurrency, async (app) => {
    if (sessionLost !== undefined) {
      finish(app, { id: app.id, name: app.name, mode: app.mode, status: 'failed', error: `not attempted: ${sessionLost}` });
      return;
    }
    let exported: ExportedApp;
    try {
      exported = await exportApp(run.client, app, options, run.retry, run.startedAt);
    } catch (err) {
      finish(app, failure(app, err));
      return;
    }
    stores.push(
      storeApp(writer, exported).then(
        ({ entry, changed }) => {
          entries.push(entry);
          finish(app, { id: app.id, name: app.name, mode: app.mode, status: changed ? 'saved' : 'unchanged' });
        },
        (err: unknown) => finish(app, failure(app, err)),
      ),
    );
  });
  await Promise.all(stores);
  return { entries, failures, results };
}

async function logIn(client: DifyConsoleClient, url: string): Promise<void> {
  try {
    await client.login();
  } catch (err) {
    if (err instanceof DifyLoginError) throw err;
    throw new BackupConnectError(url, describeFailure(err), { cause: err });
  }
}

function normalizeModes(modes: readonly string[] | undefined): string[] | undefined {
  if (modes === undefined || modes.length === 0) return undefined;
  const list = [...new Set(modes.flatMap((m) => m.split(',')).map((m) => m.trim()).filter(Boolean))];
  for (const mode of list) {
    if (!(BACKUP_MODE_FILTERS as readonly string[]).includes(mode)) {
      throw new BackupUsageError(`--mode "${mode}" is not an app mode; use one or more of ${BACKUP_MODE_FILTERS.join(', ')}`);
    }
  }
  return list.includes('all') ? undefined : list;
}

async function listApps(client: DifyConsoleClient, modes: string[] | undefined, retry: RetryPolicy): Promise<ConsoleApp[]> {
  const lists = await Promise.all((modes ?? ['all']).map((mode) => withRetry(() => client.apps.list({ mode: mode as ConsoleAppMode }), retry)));
  const byId = new Map<string, ConsoleApp>();
  for (const app of lists.flat()) byId.set(app.id, app);
  return [...byId.values()];
}

async function currentWorkspace(client: DifyConsoleClient, target: DifyTarget, retry: RetryPolicy, logger: Logger): Promise<{ workspace?: string; workspaceName?: string }> {
  if (target.workspaceId) return { workspace: target.workspaceId };
  try {
    // The console client has no workspaces resource yet; this read is informational only.
    const current = await withRetry(() => client.json<{ id?: unknown; name?: unknown }>({ method: 'GET', path: '/workspaces/current', idempotent: true }), retry);
    return {
      ...(typeof current.id === 'string' ? { workspace: current.id } : {}),
      ...(typeof current.name === 'string' ? { workspaceName: current.name } : {}),
    };
  } catch (err) {
    logger.warn({ error: describeFailure(err) }, 'could not read the current workspace; the manifest will not name it');
    return {};
  }
}

async function archiveLocation(options: BackupOptions, at: Date): Promise<string> {
  if (options.keep !== undefined) {
    await fs.mkdir(options.out, { recursive: true });
    return allocateDatedArchive(options.out, at, options.zip === true);
  }
  if (options.zip) return options.out.toLowerCase().endsWith('.zip') ? options.out : `${options.out}.zip`;
  return options.out;
}

async function storeApp(writer: ArchiveWriter, exported: ExportedApp): Promise<{ entry: ManifestApp; changed: boolean }> {
  const paths = [...exported.files.map((file) => file.path), ...(exported.annotations ? [exported.annotations.path] : [])];
  try {
    let changed = false;
    const hashes = new Map<string, string>();
    for (const file of exported.files) {
      const put = await writer.put(file.path, file.text);
      hashes.set(file.path, put.sha256);
      changed ||= put.changed;
    }
    const { versions, id, name, mode, file, ...rest } = exported.entry;
    // Contract fields first, in the documented order.
    const entry: ManifestApp = { id, name, mode, file, sha256: hashes.get(file) as string, ...rest };
    if (versions) entry.versions = versions.map((v) => ({ ...v, sha256: hashes.get(v.file) as string }));
    if (exported.annotations) {
      const put = await writer.put(exported.annotations.path, exported.annotations.text);
      changed ||= put.changed;
      entry.annotations = { file: exported.annotations.path, sha256: put.sha256, count: exported.annotations.count };
    }
    return { entry, changed };
  } catch (err) {
    // Half-staged files must not replace the previous copy that the failure keeps.
    await writer.discard(paths).catch(() => undefined);
    throw err;
  }
}

function emptyManifest(): Manifest {
  return { formatVersion: ARCHIVE_FORMAT_VERSION, createdAt: new Date(0).toISOString(), source: { url: '' }, apps: [] };
}

function byNameThenId(a: { name: string; id: string }, b: { name: string; id: string }): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
