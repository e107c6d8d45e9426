import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { sortByDocumentOrder } from './document-order.js';
import { interpolateEnv, type EnvVars } from './interpolate-env.js';
import { isWithinKeyPath } from './key-path.js';
import { parseConfigYaml } from './parse-yaml.js';
import { configSchema, type MpgateConfig } from './schema.js';
import { configErrorMap, problemsFromIssues } from './validation-problems.js';

/** The file read when no --config is given (contract). */
export const DEFAULT_CONFIG_PATH = './mpgate.yaml';

/** Options shared by the config loaders. */
export interface ConfigLoadOptions {
  /** Variables for `${NAME}` references; default process.env. */
  env?: EnvVars;
  /** Folder that relative paths (store.path) are resolved against; default the config file's folder, else the working directory. */
  baseDir?: string;
}

/**
 * Reads, interpolates and validates a YAML config file (default ./mpgate.yaml) and applies defaults.
 * Throws ConfigError listing every problem: missing or unreadable file, YAML syntax (with line and
 * column), unset environment variables, and each invalid key by its path.
 */
export function loadConfig(path: string = DEFAULT_CONFIG_PATH, options: ConfigLoadOptions = {}): MpgateConfig {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw unreadable(file, error);
  }
  return parseConfigText(text, { ...options, source: file, baseDir: options.baseDir ?? dirname(file) });
}

/** Like loadConfig, for YAML text already in hand; `source` names it in error messages. */
export function parseConfigText(text: string, options: ConfigLoadOptions & { source?: string } = {}): MpgateConfig {
  const parsed = parseConfigYaml(text);
  if (!parsed.ok) throw new ConfigError('CONFIG_SYNTAX', parsed.problems, options.source);
  return validate(parsed.data ?? {}, options, options.source);
}

/** Validates a configuration given as a plain object (same shape as the YAML file), for tests and the demo. */
export function loadConfigFromObject(input: unknown, options: ConfigLoadOptions = {}): MpgateConfig {
  return validate(input, options, undefined);
}

function validate(input: unknown, options: ConfigLoadOptions, source: string | undefined): MpgateConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ConfigError('CONFIG_INVALID', [{ path: '', message: 'the configuration must be a mapping of sections (server:, store:, accounts: …)' }], source);
  }
  const interpolated = interpolateEnv(input, options.env ?? process.env);
  const result = configSchema.safeParse(interpolated.value, { error: configErrorMap });
  const problems: ConfigProblem[] = [...interpolated.problems];
  if (!result.success) {
    // A value still holding its ${…} reference is already reported; its validation errors are noise.
    const fromSchema = problemsFromIssues(result.error.issues);
    problems.push(...fromSchema.filter((p) => !interpolated.failedPaths.some((failed) => isWithinKeyPath(p.path, failed))));
  }
  if (problems.length > 0 || !result.success) throw new ConfigError('CONFIG_INVALID', sortByDocumentOrder(problems, interpolated.value), source);
  return resolvePaths(result.data, options.baseDir ?? process.cwd());
}

/** Relative paths in the file (the SQLite store, the backup target) are relative to the file's folder. */
function resolvePaths(config: MpgateConfig, baseDir: string): MpgateConfig {
  const { store, backups } = config;
  const relative = (path: string): boolean => !isAbsolute(path) && path !== ':memory:';
  return {
    ...config,
    store: store.driver === 'sqlite' && relative(store.path) ? { ...store, path: resolve(baseDir, store.path) } : store,
    ...(backups && { backups: relative(backups.target) ? { ...backups, target: resolve(baseDir, backups.target) } : backups }),
  };
}

function unreadable(file: string, error: unknown): ConfigError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') {
    return new ConfigError(
      'CONFIG_NOT_FOUND',
      [{ path: '', message: `config file not found: ${file} — create one from examples/mpgate.yaml, or pass --config <file>` }],
      file,
    );
  }
  const reason = code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (code ?? 'unknown error');
  return new ConfigError('CONFIG_UNREADABLE', [{ path: '', message: `cannot read config file ${file}: ${reason}` }], file);
}
