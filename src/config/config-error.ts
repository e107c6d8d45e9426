import { MpgateError } from '../errors.js';

/** One thing wrong with a configuration, named by its key path (`accounts[0].encodingAESKey`). */
export interface ConfigProblem {
  /** The key path; empty for problems with the file as a whole (missing file, YAML syntax). */
  readonly path: string;
  /** What is wrong and, where useful, how to fix it. Never contains a secret value. */
  readonly message: string;
  /** 1-based position in the YAML file, for syntax errors. */
  readonly line?: number;
  readonly column?: number;
}

/** Why a configuration could not be used. */
export type ConfigErrorCode = 'CONFIG_NOT_FOUND' | 'CONFIG_UNREADABLE' | 'CONFIG_SYNTAX' | 'CONFIG_INVALID';

/** Formats one problem as a single line: `accounts[0].encodingAESKey: must be 43 characters`. */
export function formatConfigProblem(problem: ConfigProblem): string {
  if (problem.line !== undefined) return `line ${problem.line}, column ${problem.column ?? 1}: ${problem.message}`;
  return problem.path === '' ? problem.message : `${problem.path}: ${problem.message}`;
}

/** A configuration that cannot be used, with every problem found (not just the first). */
export class ConfigError extends MpgateError {
  override readonly code: ConfigErrorCode;
  readonly problems: readonly ConfigProblem[];
  /** The file read, when the configuration came from a file. */
  readonly source: string | undefined;
  constructor(code: ConfigErrorCode, problems: readonly ConfigProblem[], source?: string) {
    const where = source ?? 'configuration';
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    const header = code === 'CONFIG_INVALID' || code === 'CONFIG_SYNTAX' ? `${where}: ${count}\n` : '';
    super(code, header + problems.map(formatConfigProblem).join('\n'));
    this.code = code;
    this.problems = problems;
    this.source = source;
  }

  /** One line per problem, as printed by `mpgate config check`. */
  lines(): string[] {
    return this.problems.map(formatConfigProblem);
  }
}
