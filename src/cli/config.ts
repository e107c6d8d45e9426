import type { Command } from 'commander';
import { stringify } from 'yaml';
import { ConfigError } from '../config/config-error.js';
import { DEFAULT_CONFIG_PATH, loadConfig } from '../config/load-config.js';
import { redactConfig } from '../config/redact-config.js';
import type { MpgateConfig } from '../config/schema.js';
import { summarizeConfig } from '../config/summarize-config.js';

/** Where `mpgate config` writes; tests pass their own to run the commands in-process. */
export interface ConfigCommandOutput {
  out(line: string): void;
  err(line: string): void;
}

const consoleOutput: ConfigCommandOutput = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
};

const CONFIG_OPTION_HELP = `config file (default: $MPGATE_CONFIG, else ${DEFAULT_CONFIG_PATH})`;

/** Registers `mpgate config check` and `mpgate config print`. */
export function registerConfigCommands(program: Command, output: ConfigCommandOutput = consoleOutput): void {
  const config = program.command('config').description('check or print a configuration file (config check [--config F])');

  config
    .command('check')
    .description('validate a config file and print every problem with its key path')
    .option('-c, --config <file>', CONFIG_OPTION_HELP)
    .action((options: { config?: string }) => {
      process.exitCode = runConfigCheck(configPath(options), output);
    });

  config
    .command('print')
    .description('print the effective configuration (defaults applied, secrets redacted)')
    .option('-c, --config <file>', CONFIG_OPTION_HELP)
    .option('--json', 'print JSON instead of YAML')
    .action((options: { config?: string; json?: boolean }) => {
      process.exitCode = runConfigPrint(configPath(options), options.json === true, output);
    });
}

/** `config check`: `config OK: …` and a redacted summary (0), or one line per problem (1). */
export function runConfigCheck(path: string, output: ConfigCommandOutput): number {
  const config = loadOrReport(path, output);
  if (config === undefined) return 1;
  const ids = config.accounts.map((account) => account.id);
  const count = ids.length === 1 ? '1 account' : `${ids.length} accounts`;
  output.out(`config OK: ${count}${ids.length > 0 ? ` (${ids.join(', ')})` : ''}`);
  for (const line of summarizeConfig(config)) output.out(`  ${line}`);
  return 0;
}

/** `config print`: the effective configuration with secrets redacted, as YAML or JSON. */
export function runConfigPrint(path: string, json: boolean, output: ConfigCommandOutput): number {
  const config = loadOrReport(path, output);
  if (config === undefined) return 1;
  const safe = redactConfig(config);
  output.out(json ? JSON.stringify(safe, null, 2) : `# effective configuration of ${path} (defaults applied, secrets redacted)\n${stringify(safe).trimEnd()}`);
  return 0;
}

function loadOrReport(path: string, output: ConfigCommandOutput): MpgateConfig | undefined {
  try {
    return loadConfig(path);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const line of error.lines()) output.err(line);
    return undefined;
  }
}

function configPath(options: { config?: string }): string {
  return options.config ?? (process.env.MPGATE_CONFIG || DEFAULT_CONFIG_PATH);
}
