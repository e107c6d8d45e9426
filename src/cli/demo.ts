import { spawn } from 'node:child_process';
import { InvalidArgumentError, type Command } from 'commander';
import { DEFAULT_DEMO_DATA_DIR, DEFAULT_DEMO_PORT, DemoStartError, startDemo, type Demo } from '../demo/demo.js';
import { createLogger } from '../log/logger.js';

interface DemoCommandOptions {
  host: string;
  port: number;
  data: string;
  open?: boolean;
  window: number;
}

/** How long Ctrl+C waits for open deliveries before leaving anyway. */
const STOP_GRACE_MS = 3000;

function integer(name: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}`);
    return n;
  };
}

/** Opens a URL in the desktop's browser; failures only print a hint. */
function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(command, args as string[], { detached: true, stdio: 'ignore' });
    child.on('error', () => console.error(`mpgate demo: could not open a browser (${command}); open ${url} yourself`));
    child.unref();
  } catch {
    console.error(`mpgate demo: could not open a browser; open ${url} yourself`);
  }
}

function printStarted(demo: Demo, options: DemoCommandOptions): void {
  const app = demo.dify.apps[0];
  console.log(`mpgate demo is running: open ${demo.pageUrl}`);
  console.log('');
  console.log(`  gateway        ${demo.webhookUrl}   (the real gateway; SQLite store in ${options.data})`);
  console.log(`  WeChat sim     ${demo.wechat.apiBase}   (test account ${demo.wechat.account.appId})`);
  console.log(`  Dify sim       ${demo.dify.serviceBase}   (chat app "${app?.name ?? 'demo'}")`);
  console.log(`  WeChat window  ${options.window / 1000} s per delivery, 3 deliveries`);
  console.log('');
  console.log('Press Ctrl+C to stop.');
}

/** Registers `mpgate demo`. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('gateway + WeChat and Dify simulators + a WeChat-like chat page, in one process')
    .option('-p, --port <port>', 'port of the gateway and the page (0 = any free port)', integer('--port', 0, 65_535), DEFAULT_DEMO_PORT)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--data <dir>', 'folder of the SQLite store', DEFAULT_DEMO_DATA_DIR)
    .option('--open', 'open the page in the browser')
    .option('--window <ms>', "WeChat's wait per delivery (shrink it for a quicker look)", integer('--window', 50, 5000), 5000)
    .action(async (options: DemoCommandOptions) => {
      let demo: Demo;
      try {
        demo = await startDemo({
          host: options.host,
          port: options.port,
          dataDir: options.data,
          windowMs: options.window,
          logger: createLogger({ level: 'error' }), // the page's event log shows the rest
        });
      } catch (err) {
        if (err instanceof DemoStartError && err.code === 'DEMO_PORT_IN_USE') {
          console.error(`mpgate demo: ${err.message}.`);
          console.error(`  Choose another port: mpgate demo --port ${options.port === 65_535 ? 8701 : options.port + 1}   (or --port 0 for any free port)`);
          process.exitCode = 1;
          return;
        }
        throw err;
      }
      printStarted(demo, options);
      if (options.open) openBrowser(demo.pageUrl);

      const stop = (): void => {
        console.log('\nmpgate demo: stopping');
        setTimeout(() => process.exit(0), STOP_GRACE_MS).unref();
        void demo.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
