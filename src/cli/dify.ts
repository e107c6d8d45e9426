import { Option, type Command, type CommanderError } from 'commander';
import { runBackup, DEFAULT_BACKUP_CONCURRENCY, type BackupResult } from '../backup/backup.js';
import { resolveDifyTarget, type DifyTargetSpec } from '../backup/dify-target.js';
import { ArchiveReadError, BackupConnectError, BackupUsageError } from '../backup/errors.js';
import { createBackupProgressReporter, type TextSink } from '../backup/progress-reporter.js';
import { CONFLICT_POLICIES, DEFAULT_RESTORE_CONCURRENCY, runRestore, type ConflictPolicy, type RestoreAppResult, type RestoreResult } from '../backup/restore.js';
import { verifyArchive, type VerifyReport } from '../backup/verify.js';
import { DifyLoginError } from '../dify/errors.js';

/** Where `mpgate dify` talks to; tests pass their own to run the commands in-process. */
export interface DifyCliIo {
  stdout: TextSink;
  stderr: TextSink;
  /** Where `--password-env` and `--api-key-env` are looked up. */
  env: NodeJS.ProcessEnv;
  /** Ends the process on a command-line syntax error (commander's), with exit code 2. Default `process.exit`. */
  exit?: (code: number) => never;
}

const processIo: DifyCliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
};

/** Exit codes: 0 everything done, 1 something failed (apps, verification), 2 usage or login error. */
const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

interface CredentialOptions {
  url?: string;
  email?: string;
  passwordEnv?: string;
  apiKeyEnv?: string;
  workspace?: string;
  password?: string;
  apiKey?: string;
  timeout: string;
  retries: string;
}

interface BackupCliOptions extends CredentialOptions {
  out?: string;
  zip?: boolean;
  includeSecret?: boolean;
  versions?: boolean;
  annotations?: boolean;
  mode?: string;
  concurrency: string;
  keep?: string;
}

interface RestoreCliOptions extends CredentialOptions {
  only?: string[];
  dryRun?: boolean;
  onConflict: string;
  concurrency: string;
}

/** Registers `mpgate dify backup | verify | restore`. */
export function registerDifyCommands(program: Command, io: DifyCliIo = processIo): Command {
  const out = (line: string) => io.stdout.write(`${line}\n`);
  const err = (line: string) => io.stderr.write(`${line}\n`);
  const exit = io.exit ?? ((code: number) => process.exit(code));
  // Command-line syntax errors (unknown option, missing value) are usage errors too: exit 2, not commander's 1.
  const onParseError = (e: CommanderError) => exit(e.exitCode === 0 ? 0 : EXIT_USAGE);

  const dify = program.command('dify').description('back up, verify and restore Dify apps (dify backup | verify | restore)');
  dify.exitOverride(onParseError).configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  const backup = dify
    .command('backup')
    .description('export every app of a Dify workspace into a verifiable archive (one YAML per app + manifest.json)')
    .option('--out <dir>', 'archive directory (or zip with --zip); with --keep, the folder of dated archives')
    .option('--zip', 'write a zip of the archive instead of a directory')
    .option('--include-secret', 'also export secret environment variables and credential ids (off by default)')
    .option('--versions', 'also export every published workflow version (Dify ≥ 1.8.1)')
    .option('--annotations', "also export each app's annotations")
    .option('--mode <modes>', 'only apps of these modes (comma list of chat, agent-chat, advanced-chat, workflow, completion, channel)')
    .option('--concurrency <n>', 'apps exported at once', String(DEFAULT_BACKUP_CONCURRENCY))
    .option('--keep <n>', 'create a dated archive in --out and keep the newest n complete ones');
  addConnectionOptions(backup).action(async (options: BackupCliOptions) => {
    process.exitCode = await guarded('backup', err, () => backupCommand(options, io, out, err));
  });
  backup.exitOverride(onParseError);

  const verify = dify
    .command('verify')
    .description('check an archive: manifest, SHA-256 of every file, every YAML a Dify DSL, no extra or missing files')
    .argument('<archive>', 'archive directory or zip')
    .option('--json', 'print the report as JSON')
    .action(async (archive: string, options: { json?: boolean }) => {
      process.exitCode = await guarded('verify', err, () => verifyCommand(archive, options.json === true, out, err));
    });
  verify.exitOverride(onParseError);

  const restore = dify
    .command('restore')
    .description('import the apps of an archive into a Dify (verifies the archive first)')
    .argument('<archive>', 'archive directory or zip')
    .option('--only <id-or-name...>', 'restore only these apps (ids or exact names)')
    .option('--dry-run', 'print what would be imported, send no import')
    .addOption(new Option('--on-conflict <policy>', 'when an app with the same id or name exists').choices([...CONFLICT_POLICIES]).default('skip'))
    .option('--concurrency <n>', 'imports at once', String(DEFAULT_RESTORE_CONCURRENCY));
  addConnectionOptions(restore).action(async (archive: string, options: RestoreCliOptions) => {
    process.exitCode = await guarded('restore', err, () => restoreCommand(archive, options, io, out, err));
  });
  restore.exitOverride(onParseError);
  return dify;
}

function addConnectionOptions(cmd: Command): Command {
  return cmd
    .option('--url <url>', 'Dify console base URL, e.g. https://dify.example.com')
    .option('--email <address>', 'console login email')
    .option('--password-env <VAR>', 'name of the environment variable holding the password')
    .option('--api-key-env <VAR>', 'name of the environment variable holding the ADMIN_API_KEY (self-hosted admin-key mode)')
    .option('--workspace <id>', 'workspace id for the admin API key (X-WORKSPACE-ID)')
    .option('--timeout <seconds>', 'per request', '60')
    .option('--retries <n>', 'retries of transient failures (network, 5xx, 429) per request', '3')
    .addOption(new Option('--password <value>').hideHelp())
    .addOption(new Option('--api-key <value>').hideHelp());
}

/** Runs a command body; maps usage and login errors to exit 2 and anything unexpected to 1. */
async function guarded(command: string, err: (line: string) => void, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof BackupUsageError || e instanceof BackupConnectError || e instanceof ArchiveReadError) {
      err(`mpgate dify ${command}: ${e.message}`);
      return EXIT_USAGE;
    }
    if (e instanceof DifyLoginError) {
      err(`mpgate dify ${command}: login failed (${e.reason}): ${e.message.replace(/^Dify console: /, '')}`);
      return EXIT_USAGE;
    }
    err(`mpgate dify ${command} failed: ${e instanceof Error ? e.message : String(e)}`);
    return EXIT_FAILED;
  }
}

function connection(options: CredentialOptions, env: NodeJS.ProcessEnv) {
  // Secrets on the command line end up in shell history and `ps`; only the names of env vars are accepted.
  if (options.password !== undefined) {
    throw new BackupUsageError('--password is not accepted (a password on the command line is visible to other users and kept in shell history); put it in an environment variable and pass its name with --password-env <VAR>');
  }
  if (options.apiKey !== undefined) {
    throw new BackupUsageError('--api-key is not accepted (the key would be visible to other users); put it in an environment variable and pass its name with --api-key-env <VAR>');
  }
  const spec: DifyTargetSpec = { url: options.url ?? '', email: options.email, passwordEnv: options.passwordEnv, apiKeyEnv: options.apiKeyEnv, workspace: options.workspace };
  return {
    target: resolveDifyTarget(spec, env),
    requestTimeoutMs: wholeNumber('--timeout', options.timeout, 1, 3600) * 1000,
    retry: { retries: wholeNumber('--retries', options.retries, 0, 10) },
  };
}

async function backupCommand(options: BackupCliOptions, io: DifyCliIo, out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const conn = connection(options, io.env);
  if (!options.out) throw new BackupUsageError('--out <dir> is required: where to write the archive');
  const concurrency = wholeNumber('--concurrency', options.concurrency, 1, 64);
  const keep = options.keep === undefined ? undefined : wholeNumber('--keep', options.keep, 1, 10_000);
  if (options.includeSecret) {
    err('warning: --include-secret: the archive will hold secret environment variables and credential ids; it is written owner-only (0600) — keep it like a password');
  }
  const reporter = createBackupProgressReporter(io.stderr);
  let result: BackupResult;
  try {
    result = await runBackup({
      ...conn,
      out: options.out,
      zip: options.zip === true,
      includeSecret: options.includeSecret === true,
      versions: options.versions === true,
      annotations: options.annotations === true,
      ...(options.mode !== undefined ? { modes: [options.mode] } : {}),
      concurrency,
      ...(keep !== undefined ? { keep } : {}),
      onProgress: (event) => reporter.onProgress(event),
    });
  } finally {
    reporter.finish();
  }
  const saved = result.apps.filter((a) => a.status === 'saved').length;
  const unchanged = result.apps.filter((a) => a.status === 'unchanged').length;
  const exported = result.apps.length - result.failed.length;
  out(`Archive: ${result.archive}`);
  out(
    `Backed up ${exported} of ${result.apps.length} app${result.apps.length === 1 ? '' : 's'} (${saved} written, ${unchanged} unchanged)` +
      `${result.difyVersion ? ` from Dify ${result.difyVersion}` : ''}.`,
  );
  for (const pruned of result.pruned) out(`Removed old archive ${pruned}`);
  if (result.failed.length === 0) return EXIT_OK;
  err(`${result.failed.length} app${result.failed.length === 1 ? '' : 's'} failed to export:`);
  for (const app of result.failed) {
    err(`  "${app.name}" (${app.id}): ${app.error}${app.keptPreviousCopy ? ' — the archive keeps the previous copy' : ''}`);
  }
  return EXIT_FAILED;
}

async function verifyCommand(archive: string, json: boolean, out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const report = await verifyArchive(archive);
  if (json) {
    out(JSON.stringify({ ok: report.ok, archive: report.archive, kind: report.kind, counts: report.counts, problems: report.problems, failures: report.failures }, null, 2));
    return report.ok ? EXIT_OK : EXIT_FAILED;
  }
  if (!report.ok) {
    for (const problem of report.problems) err(`${problem.file ? `${problem.file}: ` : ''}${problem.message}`);
    err(`${archive}: ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}; the archive does not verify.`);
    return EXIT_FAILED;
  }
  out(`OK ${describeArchive(report)}`);
  if (report.failures.length > 0) {
    out(`Note: the backup could not export ${report.failures.length} app${report.failures.length === 1 ? '' : 's'}; the archive is intact but incomplete:`);
    for (const failure of report.failures) out(`  "${failure.name}" (${failure.id}): ${failure.error}`);
  }
  return EXIT_OK;
}

function describeArchive(report: VerifyReport): string {
  const m = report.manifest;
  const parts = [`${report.counts.apps} app${report.counts.apps === 1 ? '' : 's'}`];
  if (report.counts.versions > 0) parts.push(`${report.counts.versions} published versions`);
  if (report.counts.annotations > 0) parts.push(`${report.counts.annotations} annotation files`);
  return `${report.archive} (${report.kind}): ${parts.join(', ')}${m?.difyVersion ? `, Dify ${m.difyVersion}` : ''}${m ? `, made ${m.createdAt}` : ''}`;
}

async function restoreCommand(archive: string, options: RestoreCliOptions, io: DifyCliIo, out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const conn = connection(options, io.env);
  const result: RestoreResult = await runRestore({
    ...conn,
    archive,
    ...(options.only ? { only: options.only } : {}),
    dryRun: options.dryRun === true,
    onConflict: options.onConflict as ConflictPolicy,
    concurrency: wholeNumber('--concurrency', options.concurrency, 1, 16),
  });
  if (!result.verify.ok) {
    for (const problem of result.verify.problems) err(`${problem.file ? `${problem.file}: ` : ''}${problem.message}`);
    err(`${archive} does not verify (${result.verify.problems.length} problem${result.verify.problems.length === 1 ? '' : 's'}); nothing was restored.`);
    return EXIT_FAILED;
  }
  for (const app of result.apps) (app.status === 'failed' ? err : out)(restoreLine(app));
  if (result.dryRun) {
    const imports = result.apps.filter((a) => a.action !== 'skip').length;
    out(`Dry run: ${imports} app${imports === 1 ? '' : 's'} would be imported, ${result.apps.length - imports} skipped; nothing was sent.`);
    return EXIT_OK;
  }
  const imported = result.apps.filter((a) => a.status === 'imported').length;
  const skipped = result.apps.filter((a) => a.status === 'skipped').length;
  out(`Restored ${imported} of ${result.apps.length} app${result.apps.length === 1 ? '' : 's'}${result.difyVersion ? ` into Dify ${result.difyVersion}` : ''} (${skipped} skipped, ${result.failed.length} failed).`);
  const needing = result.apps.filter((a) => a.missingPlugins.length > 0);
  if (needing.length > 0) {
    out(`${needing.length} app${needing.length === 1 ? ' needs' : 's need'} plugins this Dify lacks; install them (Plugins → Install) before using ${needing.length === 1 ? 'it' : 'them'}.`);
  }
  return result.failed.length === 0 ? EXIT_OK : EXIT_FAILED;
}

function restoreLine(app: RestoreAppResult): string {
  const who = `"${app.name}" (${app.id})`;
  const conflict = app.conflictWith ? `"${app.conflictWith.name}" (${app.conflictWith.id}) already exists` : '';
  const lines: string[] = [];
  switch (app.status) {
    case 'planned':
      if (app.action === 'skip') lines.push(`would skip   ${who}: ${conflict}`);
      else if (app.action === 'rename') lines.push(`would import ${who} as "${app.importName}": ${conflict}`);
      else lines.push(`would import ${who}${conflict ? ` as a new app (${conflict})` : ''}`);
      break;
    case 'skipped':
      lines.push(`skipped  ${who}: ${conflict}`);
      break;
    case 'imported':
      lines.push(`imported ${who}${app.importName ? ` as "${app.importName}"` : ''} → app ${app.newAppId}${app.confirmed ? ' (confirmed: DSL version differs)' : ''}`);
      break;
    case 'failed':
      lines.push(`FAILED   ${who}: ${app.error}`);
      break;
  }
  if (app.missingPlugins.length > 0) lines.push(`         missing plugins: ${app.missingPlugins.join(', ')}`);
  for (const warning of app.warnings) lines.push(`         warning: ${warning}`);
  return lines.join('\n');
}

function wholeNumber(option: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < min || n > max) throw new BackupUsageError(`${option} must be a whole number from ${min} to ${max} (got "${value}")`);
  return n;
}
