import type { Command } from 'commander';
import { ConfigError } from '../config/config-error.js';
import { DEFAULT_CONFIG_PATH, loadConfig } from '../config/load-config.js';
import { createLogger } from '../log/logger.js';
import { startGatewayServer } from '../server/gateway-server.js';

/** Registers `mpgate serve`. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the gateway: the WeChat webhook of every account, /healthz, /readyz, /metrics')
    .option('-c, --config <file>', 'configuration file', process.env.MPGATE_CONFIG ?? DEFAULT_CONFIG_PATH)
    .action(async (opts: { config: string }) => {
      let config;
      try {
        config = loadConfig(opts.config);
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        console.error(`mpgate serve: ${opts.config} is not usable:`);
        for (const line of err.lines()) console.error(`  ${line}`);
        process.exitCode = 1;
        return;
      }
      if (config.accounts.length === 0) {
        console.error(`mpgate serve: ${opts.config} has no accounts: add one under accounts: (see examples/mpgate.yaml)`);
        process.exitCode = 1;
        return;
      }
      const logger = createLogger({ level: config.logging.level, content: config.logging.content });
      const server = await startGatewayServer({ config, logger });
      logger.info({ url: server.url, accounts: config.accounts.map((a) => a.id), store: server.store.driver }, 'mpgate gateway listening');
      console.log(`mpgate gateway listening on ${server.url}`);
      for (const account of config.accounts) console.log(`  ${account.id}: ${server.url}/wechat/${account.id}`);

      // Graceful stop: no new requests, open deliveries finish, pending answers stay in the store.
      const stop = (signal: string): void => {
        logger.info({ signal }, 'stopping');
        void server.close().then(() => process.exit(0));
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
}
