import type { Logger } from 'pino';
import { DifyConsoleClient } from '../dify/console-client.js';
import { BackupUsageError } from './errors.js';

/**
 * Where a backup reads from (or a restore writes to), as the user gives it: the secrets themselves are
 * never options, only the names of the environment variables that hold them.
 */
export interface DifyTargetSpec {
  /** The Dify host (`https://dify.example.com`) or its `…/console/api` base. */
  url: string;
  email?: string | undefined;
  /** Name of the environment variable holding the password. */
  passwordEnv?: string | undefined;
  /** Name of the environment variable holding the self-hosted `ADMIN_API_KEY`. */
  apiKeyEnv?: string | undefined;
  /** Workspace (tenant) id; required with the admin API key (`X-WORKSPACE-ID`). */
  workspace?: string | undefined;
}

/** A resolved console target: the URL plus either email + password or admin key + workspace. */
export interface DifyTarget {
  url: string;
  email?: string | undefined;
  password?: string | undefined;
  adminApiKey?: string | undefined;
  workspaceId?: string | undefined;
}

/** How messages name the two env-var settings (CLI options by default; config keys for scheduled backups). */
export interface SecretSettingNames {
  passwordEnv: string;
  apiKeyEnv: string;
}

const CLI_NAMES: SecretSettingNames = { passwordEnv: '--password-env', apiKeyEnv: '--api-key-env' };

/** Reads the secrets named by `spec` from `env`; throws `BackupUsageError` saying what is missing. */
export function resolveDifyTarget(spec: DifyTargetSpec, env: NodeJS.ProcessEnv = process.env, names: SecretSettingNames = CLI_NAMES): DifyTarget {
  const url = spec.url?.trim();
  if (!url) throw new BackupUsageError('--url is required: the Dify console base URL, e.g. https://dify.example.com');
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new BackupUsageError(`--url must be an http:// or https:// URL (got "${url}")`);
  }
  const passwordMode = spec.email !== undefined || spec.passwordEnv !== undefined;
  const keyMode = spec.apiKeyEnv !== undefined;
  if (passwordMode && keyMode) {
    throw new BackupUsageError('use either --email with --password-env, or --api-key-env with --workspace, not both');
  }
  if (keyMode) {
    if (!spec.workspace) throw new BackupUsageError('--api-key-env needs --workspace <id> (the workspace the admin API key acts on, sent as X-WORKSPACE-ID)');
    return { url, adminApiKey: readSecret(env, spec.apiKeyEnv as string, names.apiKeyEnv), workspaceId: spec.workspace };
  }
  if (!passwordMode) {
    throw new BackupUsageError('credentials are required: --email <e> --password-env <VAR>, or --api-key-env <VAR> --workspace <id>');
  }
  if (!spec.email) throw new BackupUsageError('--password-env needs --email <address>');
  if (!spec.passwordEnv) throw new BackupUsageError('--email needs --password-env <VAR>: the name of an environment variable holding the password');
  if (spec.workspace) {
    throw new BackupUsageError('--workspace is only used with --api-key-env; a password login works on the account\'s current workspace');
  }
  return { url, email: spec.email, password: readSecret(env, spec.passwordEnv, names.passwordEnv) };
}

function readSecret(env: NodeJS.ProcessEnv, name: string, option: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new BackupUsageError(`${option} takes the NAME of an environment variable (letters, digits, _), not the secret itself`);
  }
  const value = env[name];
  if (value === undefined || value === '') throw new BackupUsageError(`environment variable ${name} (named by ${option}) is not set or empty`);
  return value;
}

/** Settings of the console client the backup and restore use. */
export interface ConsoleClientSettings {
  /** Per request (default 60 000). */
  timeoutMs?: number;
  logger?: Logger;
  fetch?: typeof fetch;
}

/**
 * A console client for `target`. Its own retries are off: backup retries reads itself (with its
 * policy, per request) and restore must never repeat an import.
 */
export function createConsoleClient(target: DifyTarget, settings: ConsoleClientSettings = {}): DifyConsoleClient {
  return new DifyConsoleClient({
    baseUrl: target.url,
    email: target.email,
    password: target.password,
    adminApiKey: target.adminApiKey,
    workspaceId: target.workspaceId,
    timeoutMs: settings.timeoutMs ?? 60_000,
    maxRetries: 0,
    ...(settings.logger ? { logger: settings.logger } : {}),
    ...(settings.fetch ? { fetch: settings.fetch } : {}),
  });
}

/** The URL as recorded in a manifest: no user info, no query, no trailing slash. */
export function publicUrl(url: string): string {
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  parsed.search = '';
  parsed.hash = '';
  return parsed.toString().replace(/\/+$/, '');
}
