import { InvalidArgumentError, type Command } from 'commander';
import { startDifySimulator, type DifySimulator, type SimAppInit } from '../sim/dify/index.js';
import { LATEST_DIFY_VERSION } from '../sim/dify/version-profile.js';

/** Where `mpgate sim dify` listens by default (Dify's own API port). */
export const DEFAULT_DIFY_SIM_PORT = 5001;

/**
 * The CLI's apps, one per mode, with fixed ids and keys so a gateway config written once keeps working across
 * simulator restarts. These are the simulator's fake development credentials, printed on purpose.
 */
export const DEV_APPS: ReadonlyArray<SimAppInit & { id: string; apiKey: string }> = (
  [
    ['chat', 'chat'],
    ['agent-chat', 'agent'],
    ['advanced-chat', 'chatflow'],
    ['workflow', 'workflow'],
    ['completion', 'completion'],
  ] as const
).map(([mode, tag], i) => ({
  mode,
  id: `5e1a0c0f-fee0-4000-8000-${String(i + 1).padStart(12, '0')}`,
  apiKey: `app-${`mpgatedev${tag}`.padEnd(24, '0')}`,
}));

/** The CLI's fixed admin API key (fake). */
export const DEV_ADMIN_API_KEY = 'mpgate-sim-dev-admin-api-key';

/** Options of `mpgate sim dify` after parsing. */
export interface SimDifyCliOptions {
  host: string;
  port: number;
  version: string;
  latency?: number;
  chunkDelay?: number;
  consoleLatency?: number;
  apps?: number;
}

function nonNegativeInteger(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be an integer ≥ 0`);
    return n;
  };
}

/** Starts the simulator for the CLI and prints where it listens and the fake credentials to use. */
export async function startSimDifyFromCli(opts: SimDifyCliOptions, write: (line: string) => void): Promise<DifySimulator> {
  const sim = await startDifySimulator({
    host: opts.host,
    port: opts.port,
    version: opts.version,
    adminApiKey: DEV_ADMIN_API_KEY,
    apps: opts.apps !== undefined ? { count: opts.apps } : [...DEV_APPS],
    ...(opts.latency !== undefined ? { latencyMs: opts.latency } : {}),
    ...(opts.chunkDelay !== undefined ? { chunkDelayMs: opts.chunkDelay } : {}),
    ...(opts.consoleLatency !== undefined ? { consoleLatencyMs: opts.consoleLatency } : {}),
  });
  write(`Dify simulator (behaving as Dify ${sim.version}) is running.`);
  write(`  Service API:   ${sim.serviceBase}`);
  write(`  Console API:   ${sim.consoleBase}`);
  write(`  Control API:   ${sim.controlBase}/   (apps, scripts, calls, version, reset)`);
  // The simulator's own fake development credentials; printing them is the point.
  write(`  Console login: ${sim.credentials.email} / ${sim.credentials.password}`);
  if (sim.adminApiKey) write(`  Admin API key: ${sim.adminApiKey}   (X-WORKSPACE-ID: ${sim.workspaceId})`);
  const apps = sim.apps;
  write(`  Apps (${apps.length}):`);
  const shown = apps.slice(0, 20);
  const width = Math.max(4, ...shown.map((a) => a.mode.length));
  for (const a of shown) write(`    ${a.mode.padEnd(width)}  ${a.apiKey}  ${a.name}`);
  if (apps.length > shown.length) write(`    … and ${apps.length - shown.length} more (GET ${sim.controlBase}/apps)`);
  return sim;
}

/** Registers `mpgate sim dify …`. */
export function registerSimDifyCommands(sim: Command): void {
  sim
    .command('dify')
    .description('run the Dify simulator (Service API, Console API and a /_sim control API) on its own')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <n>', 'port to listen on (0 = any free port)', nonNegativeInteger('--port'), DEFAULT_DIFY_SIM_PORT)
    .option('--version <v>', 'Dify version to behave as (e.g. 1.9.1, 1.10.1, 1.14.1)', LATEST_DIFY_VERSION)
    .option('--latency <ms>', 'delay before the first event of each generation', nonNegativeInteger('--latency'))
    .option('--chunk-delay <ms>', 'delay between streamed deltas', nonNegativeInteger('--chunk-delay'))
    .option('--console-latency <ms>', 'delay added to every console request', nonNegativeInteger('--console-latency'))
    .option('--apps <n>', 'seed N generated apps (random keys) instead of the five fixed dev apps', nonNegativeInteger('--apps'))
    .action(async (opts: SimDifyCliOptions) => {
      let simulator: DifySimulator;
      try {
        simulator = await startSimDifyFromCli(opts, (line) => console.log(line));
      } catch (e) {
        console.error(`mpgate sim dify: ${e instanceof Error ? e.message : String(e)}`);
        process.exitCode = 1;
        return;
      }
      console.log('Press Ctrl+C to stop.');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await simulator.close();
    });
}
