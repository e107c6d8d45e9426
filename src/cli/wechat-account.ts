/**
 * What every command that talks to a WeChat account shares (`material`, `draft`, `publish`, `article publish`):
 * the `--config`/`--account`/`--json` options, turning them into a WeChatClient and a store, printing results
 * and errors the same way, and closing what was opened.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { ConfigError } from '../config/config-error.js';
import { DEFAULT_CONFIG_PATH, loadConfig } from '../config/load-config.js';
import type { AccountConfig } from '../config/account-schema.js';
import type { MpgateConfig } from '../config/schema.js';
import { MpgateError } from '../errors.js';
import { ArticleValidationError } from '../publisher/publish/errors.js';
import { createStore } from '../store/create-store.js';
import type { Store } from '../store/store.js';
import { WeChatApiError, WeChatClient } from '../wechat-api/index.js';

/** Where these commands write; tests pass their own to run them in-process. */
export interface PublisherCommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
  setExitCode(code: number): void;
  /** True when stderr is a terminal: progress is redrawn on one line. */
  isTTY: boolean;
  /** Terminal width for the progress line. */
  columns?: number;
  /** Environment for `$MPGATE_CONFIG` / `$MPGATE_ACCOUNT` and `${VAR}` in the config. Default process.env. */
  env?: NodeJS.ProcessEnv;
}

/** The real terminal. */
export const processIo: PublisherCommandIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  setExitCode: (code) => {
    process.exitCode = code;
  },
  get isTTY() {
    return process.stderr.isTTY === true;
  },
  get columns() {
    return process.stderr.columns;
  },
};

/** The options every account command takes. */
export interface AccountOptions {
  config?: string;
  account?: string;
  json?: boolean;
}

/** An opened account: its configuration, a client and the shared store. Close it when done. */
export interface WeChatAccountSession {
  config: MpgateConfig;
  account: AccountConfig;
  client: WeChatClient;
  store: Store;
  close(): Promise<void>;
}

/** Why no account could be used: none configured, several and none chosen, an unknown id, or no AppSecret. */
export class AccountSelectionError extends MpgateError {
  constructor(code: 'ACCOUNT_NONE' | 'ACCOUNT_AMBIGUOUS' | 'ACCOUNT_UNKNOWN' | 'ACCOUNT_NO_SECRET', message: string) {
    super(code, message);
  }
}

/** Adds `--config`, `--account` and `--json` to a command. */
export function withAccountOptions(cmd: Command): Command {
  return cmd
    .option('-c, --config <file>', `config file (default: $MPGATE_CONFIG, else ${DEFAULT_CONFIG_PATH})`)
    .option('-a, --account <id>', 'the account (its id or AppID); default: $MPGATE_ACCOUNT, else the only account in the config')
    .option('--json', 'print JSON on stdout (errors too, as {"error": …})');
}

/**
 * Lets a command take WeChat ids as operands even when they start with "-" (ids are 43–64 characters of
 * `[A-Za-z0-9_-]`, so about one in 64 does): commander would otherwise call them unknown options.
 */
export function acceptingIds(cmd: Command): Command {
  return cmd.allowUnknownOption();
}

/** The first operand that is a mistyped option (`--jsno`, `-x`) rather than a WeChat id, if any. */
export function mistypedOption(operands: readonly string[]): string | undefined {
  return operands.find((arg) => /^--?[a-z][a-z-]*(?:=.*)?$/.test(arg) && arg.length < 30);
}

/** Loads the config and opens the chosen account's client and store. Throws ConfigError or AccountSelectionError. */
export async function openWeChatAccount(options: AccountOptions, env: NodeJS.ProcessEnv = process.env): Promise<WeChatAccountSession> {
  const path = options.config ?? (env.MPGATE_CONFIG || DEFAULT_CONFIG_PATH);
  const config = loadConfig(path, { env });
  const account = chooseAccount(config, options.account ?? (env.MPGATE_ACCOUNT || undefined), path);
  const store = await createStore(config.store);
  const client = new WeChatClient({
    appId: account.appId,
    appSecret: account.appSecret as string,
    store,
    apiBase: config.wechat.apiBase,
    tokenEndpoint: config.wechat.tokenEndpoint,
    timeoutMs: config.wechat.timeoutMs,
  });
  return { config, account, client, store, close: () => store.close() };
}

function chooseAccount(config: MpgateConfig, wanted: string | undefined, path: string): AccountConfig {
  const ids = config.accounts.map((a) => a.id);
  let account: AccountConfig | undefined;
  if (wanted !== undefined) {
    account = config.accounts.find((a) => a.id === wanted || a.appId === wanted);
    if (!account) {
      throw new AccountSelectionError(
        'ACCOUNT_UNKNOWN',
        `no account "${wanted}" in ${path}; ${ids.length === 0 ? 'it has no accounts' : `accounts: ${ids.join(', ')}`}`,
      );
    }
  } else if (config.accounts.length === 1) {
    account = config.accounts[0];
  } else if (config.accounts.length === 0) {
    throw new AccountSelectionError('ACCOUNT_NONE', `${path} has no accounts: add one under "accounts:" (id, appId, appSecret, token, ai)`);
  } else {
    throw new AccountSelectionError('ACCOUNT_AMBIGUOUS', `${path} has ${ids.length} accounts (${ids.join(', ')}): choose one with --account <id>`);
  }
  if (!account) throw new AccountSelectionError('ACCOUNT_NONE', `${path} has no usable account`);
  if (account.appSecret === undefined || account.appSecret === '') {
    const index = config.accounts.indexOf(account);
    throw new AccountSelectionError(
      'ACCOUNT_NO_SECRET',
      `account "${account.id}" (${account.appId}) has no appSecret: materials, drafts and publishing need an access token; ` +
        `set accounts[${index}].appSecret in ${path} (e.g. appSecret: \${WX_SECRET})`,
    );
  }
  return account;
}

/**
 * Runs `work` with the account opened from `options`, then closes it. Errors are printed as
 * `mpgate <command>: …` on stderr (and as `{"error": …}` on stdout with --json) and set exit code 1;
 * `work` returns the exit code it wants (default 0). `operands` (ids) are checked for mistyped options first.
 */
export async function runWithAccount(
  io: PublisherCommandIo,
  command: string,
  options: AccountOptions,
  work: (session: WeChatAccountSession) => Promise<number | void>,
  operands: readonly string[] = [],
): Promise<void> {
  let session: WeChatAccountSession | undefined;
  try {
    const typo = mistypedOption(operands);
    if (typo !== undefined) throw new MpgateError('UNKNOWN_OPTION', `unknown option ${typo} (see --help; an id starting with "-" is fine as it is)`);
    session = await openWeChatAccount(options, io.env ?? process.env);
    io.setExitCode((await work(session)) ?? 0);
  } catch (error) {
    reportError(io, command, error, options.json === true);
    io.setExitCode(1);
  } finally {
    await session?.close();
  }
}

/** Prints an error the way every account command does. */
export function reportError(io: PublisherCommandIo, command: string, error: unknown, json: boolean): void {
  const lines = errorLines(error);
  if (lines.length === 1) io.stderr(`mpgate ${command}: ${lines[0]}\n`);
  else io.stderr(`mpgate ${command}:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
  if (json) io.stdout(`${JSON.stringify({ error: errorJson(error) }, null, 2)}\n`);
}

/** An error as JSON for --json output: code, message and the fields a script can act on. */
export function errorJson(error: unknown): Record<string, unknown> {
  if (error instanceof ArticleValidationError) return { code: error.code, message: error.message, problems: error.problems };
  if (error instanceof WeChatApiError) return { code: error.code, message: error.message, errcode: error.errcode, errmsg: error.errmsg, path: error.path, ...(error.hint ? { hint: error.hint } : {}) };
  if (error instanceof ConfigError) return { code: error.code, message: error.message, problems: error.problems };
  if (error instanceof MpgateError) return { code: error.code, message: error.message };
  return { code: 'ERROR', message: error instanceof Error ? error.message : String(error) };
}

function errorLines(error: unknown): string[] {
  if (error instanceof ConfigError) return [`${error.source ?? 'configuration'}:`, ...error.lines()];
  if (error instanceof ArticleValidationError) return error.problems.map((p) => `${p.file}: ${p.message}`);
  if (error instanceof Error) return [error.message];
  return [String(error)];
}

/** Prints `value` as indented JSON. */
/**
 * Deletes each id in turn, carrying on past failures; prints one line per id (or one JSON document) and
 * returns the exit code: 0 when every delete worked.
 */
export async function deleteEach(
  io: PublisherCommandIo,
  command: string,
  ids: readonly string[],
  options: AccountOptions,
  remove: (id: string) => Promise<void>,
): Promise<number> {
  const results: { media_id: string; ok: boolean; error?: Record<string, unknown> }[] = [];
  for (const id of ids) {
    try {
      await remove(id);
      results.push({ media_id: id, ok: true });
      if (!options.json) io.stdout(`deleted ${id}\n`);
    } catch (error) {
      results.push({ media_id: id, ok: false, error: errorJson(error) });
      io.stderr(`mpgate ${command}: ${id}: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
  if (options.json) printJson(io, { deleted: results });
  return results.every((r) => r.ok) ? 0 : 1;
}

export function printJson(io: PublisherCommandIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

/** Parses a non-negative whole number option. */
export function wholeNumberOption(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number');
  return n;
}

/** Parses a page size for WeChat's lists: 1 to 20. */
export function pageCountOption(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 20) throw new InvalidArgumentError('must be a whole number from 1 to 20 (WeChat lists at most 20 at a time)');
  return n;
}

/** Fetches every page of a WeChat list (batchget: at most 20 per call) from `offset`. */
export async function allPages<T>(offset: number, fetchPage: (offset: number, count: number) => Promise<{ total_count: number; item: T[] }>): Promise<{ total: number; items: T[] }> {
  const items: T[] = [];
  let total = 0;
  for (let at = offset; ; ) {
    const page = await fetchPage(at, 20);
    total = page.total_count;
    items.push(...page.item);
    at += page.item.length;
    if (page.item.length === 0 || at >= total) break;
  }
  return { total, items };
}

/** Epoch seconds as `2025-06-01 12:00:00` (UTC), as WeChat's update_time is shown. */
export function formatTime(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}
