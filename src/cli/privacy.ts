import type { Command } from 'commander';
import { ConfigError } from '../config/config-error.js';
import { DEFAULT_CONFIG_PATH, loadConfig } from '../config/load-config.js';
import { createStore } from '../store/create-store.js';

/** Where `privacy purge` prints; tests pass their own. */
export interface PrivacyCommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

const processIo: PrivacyCommandIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

interface PurgeOptions {
  config: string;
  account: string;
  openid?: string[];
  allFollowers?: boolean;
  json?: boolean;
}

/** Registers `mpgate privacy purge`: deletes what the store keeps about followers, at once. */
export function registerPrivacyCommands(program: Command, io: PrivacyCommandIo = processIo): void {
  const privacy = program.command('privacy').description('follower data: delete it on request (privacy purge)');
  privacy
    .command('purge')
    .description(
      'delete everything kept about followers of an account — conversation ids, pending answers, queued messages, ' +
        'remembered QR scene and place — from the configured store, now (it also expires by itself after privacy.retentionDays)',
    )
    .requiredOption('-a, --account <id>', 'the account (accounts[].id)')
    .option('--openid <openid...>', 'the followers to forget (OpenIDs)')
    .option('--all-followers', 'every follower of the account')
    .option('-c, --config <file>', 'configuration file', process.env.MPGATE_CONFIG ?? DEFAULT_CONFIG_PATH)
    .option('--json', 'print the result as JSON')
    .action(async (options: PurgeOptions) => {
      process.exitCode = await purge(options, io);
    });
}

async function purge(options: PurgeOptions, io: PrivacyCommandIo): Promise<number> {
  const openids = options.openid ?? [];
  if ((openids.length > 0) === (options.allFollowers === true)) {
    io.stderr('mpgate privacy purge: give either --openid OPENID… or --all-followers\n');
    return 2;
  }
  let config;
  try {
    config = loadConfig(options.config);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.stderr(`mpgate privacy purge: ${options.config} is not usable:\n${err.lines().map((l) => `  ${l}\n`).join('')}`);
    return 2;
  }
  if (!config.accounts.some((a) => a.id === options.account)) {
    const known = config.accounts.map((a) => a.id).join(', ') || 'none';
    io.stderr(`mpgate privacy purge: no account "${options.account}" in ${options.config} (accounts: ${known})\n`);
    return 2;
  }
  const store = await createStore(config.store);
  try {
    const removed: Record<string, number> = {};
    if (options.allFollowers) removed['*'] = await store.purgeAccount(options.account);
    else for (const openid of openids) removed[openid] = await store.purgeOwner({ account: options.account, openid });
    if (options.json) io.stdout(`${JSON.stringify({ account: options.account, removed })}\n`);
    else for (const [who, n] of Object.entries(removed)) io.stdout(`${options.account} ${who === '*' ? 'all followers' : who}: ${n} records deleted\n`);
    return 0;
  } finally {
    await store.close();
  }
}
