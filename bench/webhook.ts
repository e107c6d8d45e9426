/**
 * Gateway webhook hot path: `node --import tsx bench/webhook.ts` (about 90 s).
 * Every server runs in a child process of its own; this process only generates load (autocannon, 10 connections)
 * from a pool of distinct safe-mode callbacks signed before any timing starts (1,000 followers round-robin).
 * The cases run in 2 rounds, the second in reverse order, each on a freshly started server (so drift in the load
 * other processes put on the machine hits every case alike, and no server lives long enough for its 15 s
 * window-end work to land in another case's measurement). Per case and round: sample replies decrypted and
 * checked, 2 s warm-up, 5 s measured, samples checked again, then the server's own tally must show a passive
 * reply for every request. Cases:
 *   1. bare `node:http` answering a fixed body (the baseline);
 *   2. mpgate, memory store, instant in-process AI (verify, decrypt, parse, claim, AI, reply, encrypt);
 *   3. the same with the SQLite store (a temp file);
 *   4. the realistic path, each message asking the Dify simulator over HTTP (in a process of its own): mpgate
 *      (memory store, streaming by default; also with `ai.responseMode: blocking`) beside node-webot's `wechat`
 *      middleware (blocking `chat-messages` via fetch).
 * Env: BENCH_WEBHOOK_SECONDS (measured seconds per case, over all rounds; default 10), BENCH_WEBHOOK_CONNECTIONS
 * (default 10), BENCH_WEBHOOK_ROUNDS
 * (default 2), BENCH_WEBHOOK_CASES (comma list of bare, memory, sqlite, dify, dify-blocking, webot; also bare-busy, a bare
 * server spinning BENCH_WEBHOOK_BUSY_US µs per request, default 120, for calibration), BENCH_WEBHOOK_POOL (signed
 * callbacks, default 200,000), BENCH_WEBHOOK_PROFILE=<dir> (mpgate servers write a --cpu-prof there),
 * BENCH_WEBHOOK_NODE_FLAGS (extra Node flags for the mpgate servers, e.g. "--trace-gc").
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChild, type ChildServer, type ServerStats } from './webhook/child-server.js';
import { DIFY_ANSWER, INSTANT_ANSWER } from './webhook/fixture.js';
import { mergeLoads, RequestFeed, runLoad, type LoadResult } from './webhook/load.js';
import { signedRequestPool, type SignedRequest } from './webhook/signed-requests.js';
import { verifyReplies } from './webhook/verify-replies.js';

const CONNECTIONS = Number(process.env.BENCH_WEBHOOK_CONNECTIONS ?? 10);
const WARMUP_SEC = 2;
const ROUNDS = Number(process.env.BENCH_WEBHOOK_ROUNDS ?? 2);
const MEASURE_SEC = Number(process.env.BENCH_WEBHOOK_SECONDS ?? 10) / ROUNDS;
const FOLLOWERS = 1000;
/** Requests checked by decrypting the reply, before and after the load. */
const SAMPLES = 20;
/** Enough distinct callbacks for the fastest case to never run out (checked). */
const POOL_SIZE = Number(process.env.BENCH_WEBHOOK_POOL ?? 200_000);
/** The gateway refuses timestamps more than 300 s away; sign a new pool well before that. */
const POOL_MAX_AGE_MS = 200_000;
/** The spin of the `bare-busy` calibration case (not run by default). */
const BUSY_US = Number(process.env.BENCH_WEBHOOK_BUSY_US ?? 120);
const CASES = new Set((process.env.BENCH_WEBHOOK_CASES ?? 'bare,memory,sqlite,dify,dify-blocking,webot').split(',').map((s) => s.trim()));
const PROFILE_DIR = process.env.BENCH_WEBHOOK_PROFILE;
/** Extra Node flags for the mpgate servers, e.g. `--trace-gc` (which NODE_OPTIONS does not accept). */
const NODE_FLAGS = (process.env.BENCH_WEBHOOK_NODE_FLAGS ?? '').split(' ').filter((flag) => flag !== '');
/** In-flight requests cut off when a run stops may still be served; allow that many beyond what the client saw. */
const CUT_OFF = 2 * CONNECTIONS;

/** The servers of one case, started fresh for each round. */
interface Servers {
  server: ChildServer;
  /** The Dify simulator the server asks, if any (its generation calls are counted). */
  dify?: ChildServer;
}

interface CaseSpec {
  key: string;
  name: string;
  start: (round: number) => Promise<Servers>;
  /** The Content every reply must carry; undefined = do not check replies (the baseline). */
  expectedContent?: string;
  /** Checks the server's tally against what the client saw (`sent` = requests that got a 2xx, samples included). */
  checkTally?: (stats: ServerStats, sent: number) => string[];
  /** Checks the Dify simulator's call counts. */
  checkDify?: (calls: ServerStats, sent: number) => string[];
}

/** One round of one case. CPU figures are totals over the measured run (µs). */
interface RoundResult {
  load: LoadResult;
  serverCpuUs: number;
  /** The kernel's share of serverCpuUs (socket writes and reads). */
  serverSystemUs: number;
  difyCpuUs?: number;
  loadGenCpuUs: number;
  problems: string[];
}

interface CaseResult {
  spec: CaseSpec;
  rounds: RoundResult[];
  load: LoadResult;
  /** CPU time per measured request (µs): the server process, and the Dify simulator when there is one. */
  serverCpuUs: number;
  difyCpuUs?: number;
  /** Share of one core the load generator used while measuring. */
  loadGenCore: number;
  problems: string[];
}

let pool: SignedRequest[] = [];
let poolSignedAt = 0;

/** The request pool, re-signed when its timestamps would soon be stale. */
function freshPool(): SignedRequest[] {
  if (Date.now() - poolSignedAt > POOL_MAX_AGE_MS) {
    const started = performance.now();
    poolSignedAt = Date.now();
    pool = signedRequestPool({ count: POOL_SIZE, followers: FOLLOWERS });
    console.log(`signed ${POOL_SIZE.toLocaleString('en')} distinct callbacks in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return pool;
}

const cpuUs = (s: ServerStats): number => (s.cpuUserUs ?? 0) + (s.cpuSystemUs ?? 0);
const sum = (s: ServerStats, pick: (key: string) => boolean): number =>
  Object.entries(s).reduce((n, [k, v]) => (pick(k) ? n + v : n), 0);
const statsDiff = (after: ServerStats, before: ServerStats): ServerStats =>
  Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]));

async function runRound(spec: CaseSpec, round: number): Promise<RoundResult> {
  // A server that does not look at the requests gets them round and round; the others each one once.
  const feed = new RequestFeed(freshPool(), { cycle: spec.expectedContent === undefined });
  const { server, dify } = await spec.start(round);
  const problems: string[] = [];
  const checkSamples = async (label: string): Promise<void> => {
    if (spec.expectedContent === undefined) return;
    try {
      await verifyReplies(server.url, feed.take(SAMPLES), spec.expectedContent);
    } catch (err) {
      problems.push(`${label}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  try {
    const difyStart = dify ? await dify.stats() : undefined;
    await checkSamples('samples before the load');
    const warm = await runLoad(server.url, feed, { connections: CONNECTIONS, durationSec: WARMUP_SEC });
    const before = await server.stats();
    const difyBefore = dify ? await dify.stats() : undefined;
    const loadGenBefore = process.cpuUsage();
    const load = await runLoad(server.url, feed, { connections: CONNECTIONS, durationSec: MEASURE_SEC });
    const loadGen = process.cpuUsage(loadGenBefore);
    const after = await server.stats();
    const difyAfter = dify ? await dify.stats() : undefined;
    await checkSamples('samples after the load');
    // Let requests cut off when autocannon stopped finish before the final tally.
    await new Promise((resolve) => setTimeout(resolve, 300));

    for (const [label, run] of [['warm-up', warm], ['measured', load]] as const) {
      if (run.non2xx + run.errors + run.timeouts > 0) {
        problems.push(`${label}: ${run.non2xx} non-2xx, ${run.errors} errors, ${run.timeouts} timeouts (${JSON.stringify(run.statusCodes)})`);
      }
    }
    if (feed.exhausted) problems.push(`the pool of ${POOL_SIZE} requests ran out; raise BENCH_WEBHOOK_POOL`);
    const sent = warm.ok + load.ok + (spec.expectedContent === undefined ? 0 : 2 * SAMPLES);
    problems.push(...(spec.checkTally?.(await server.stats(), sent) ?? []));
    if (dify && difyStart && difyBefore && difyAfter) problems.push(...(spec.checkDify?.(statsDiff(await dify.stats(), difyStart), sent) ?? []));
    return {
      load,
      serverCpuUs: cpuUs(after) - cpuUs(before),
      serverSystemUs: (after.cpuSystemUs ?? 0) - (before.cpuSystemUs ?? 0),
      ...(difyBefore && difyAfter && { difyCpuUs: cpuUs(difyAfter) - cpuUs(difyBefore) }),
      loadGenCpuUs: loadGen.user + loadGen.system,
      problems,
    };
  } finally {
    await server.close();
    await dify?.close();
  }
}

function aggregate(spec: CaseSpec, rounds: RoundResult[]): CaseResult {
  const load = mergeLoads(rounds.map((r) => r.load));
  const total = (pick: (r: RoundResult) => number | undefined): number => rounds.reduce((n, r) => n + (pick(r) ?? 0), 0);
  return {
    spec,
    rounds,
    load,
    serverCpuUs: total((r) => r.serverCpuUs) / load.ok,
    ...(rounds.some((r) => r.difyCpuUs !== undefined) && { difyCpuUs: total((r) => r.difyCpuUs) / load.ok }),
    loadGenCore: total((r) => r.loadGenCpuUs) / 1e6 / load.seconds,
    problems: rounds.flatMap((r) => r.problems),
  };
}

function checkMpgateTally(stats: ServerStats, sent: number): string[] {
  const problems: string[] = [];
  const refused = sum(stats, (k) => k.startsWith('refused'));
  if (refused > 0) problems.push(`mpgate refused ${refused} requests: ${JSON.stringify(stats)}`);
  const replies = stats.reply ?? 0;
  const others = sum(stats, (k) => !k.startsWith('refused') && !k.startsWith('cpu') && k !== 'reply');
  if (replies < sent || replies > sent + CUT_OFF) problems.push(`mpgate made ${replies} passive replies for ${sent} answered requests`);
  if (others > CUT_OFF) problems.push(`mpgate answered ${others} deliveries without the answer: ${JSON.stringify(stats)}`);
  return problems;
}

function checkWebotTally(stats: ServerStats, sent: number): string[] {
  const replied = stats.replied ?? 0;
  const problems = (stats.failed ?? 0) > 0 ? [`node-webot failed ${stats.failed} requests`] : [];
  if (replied < sent || replied > sent + CUT_OFF) problems.push(`node-webot replied ${replied} times for ${sent} answered requests`);
  return problems;
}

/** One Dify generation call per message, all answered 200, in the response mode the contender uses. */
function checkDifyCalls(mode: 'streaming' | 'blocking'): (calls: ServerStats, sent: number) => string[] {
  return (calls, sent) => {
    const good = calls[`${mode} 200`] ?? 0;
    const other = sum(calls, (k) => !k.startsWith('cpu') && k !== `${mode} 200`);
    const problems = other > CUT_OFF ? [`unexpected Dify calls: ${JSON.stringify(calls)}`] : [];
    if (good < sent || good > sent + CUT_OFF) problems.push(`${good} Dify ${mode} calls for ${sent} answered messages`);
    return problems;
  };
}

function caseSpecs(tmp: string): CaseSpec[] {
  const profile = { nodeFlags: [...(PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []), ...NODE_FLAGS] };
  const mpgate = (args: string[]) => startChild('mpgate-server.ts', args, profile);
  // A fresh Dify simulator per contender and round, so neither inherits the other's conversations.
  const withDify = async (start: (difyBase: string) => Promise<ChildServer>): Promise<Servers> => {
    const dify = await startChild('dify-server.ts', []);
    try {
      return { server: await start(dify.url), dify };
    } catch (err) {
      await dify.close();
      throw err;
    }
  };
  const specs: CaseSpec[] = [
    { key: 'bare', name: 'bare node:http, fixed body', start: async () => ({ server: await startChild('bare-server.ts', []) }) },
    {
      key: 'bare-busy',
      name: `bare node:http + ${BUSY_US} µs spin per request`,
      start: async () => ({ server: await startChild('bare-server.ts', ['--busy-us', String(BUSY_US)]) }),
    },
    {
      key: 'memory',
      name: 'mpgate, memory store, instant AI',
      start: async () => ({ server: await mpgate(['--store', 'memory', '--ai', 'instant']) }),
      expectedContent: INSTANT_ANSWER,
      checkTally: checkMpgateTally,
    },
    {
      key: 'sqlite',
      name: 'mpgate, SQLite store, instant AI',
      start: async (round) => ({ server: await mpgate(['--store', 'sqlite', '--sqlite-path', join(tmp, `round-${round}.sqlite`), '--ai', 'instant']) }),
      expectedContent: INSTANT_ANSWER,
      checkTally: checkMpgateTally,
    },
    {
      key: 'dify',
      name: 'mpgate, memory store, Dify simulator (streaming)',
      start: () => withDify((base) => mpgate(['--store', 'memory', '--ai', 'dify', '--dify-base', base])),
      expectedContent: DIFY_ANSWER,
      checkTally: checkMpgateTally,
      checkDify: checkDifyCalls('streaming'),
    },
    {
      key: 'dify-blocking',
      name: 'mpgate, memory store, Dify simulator (blocking: ai.responseMode)',
      start: () => withDify((base) => mpgate(['--store', 'memory', '--ai', 'dify', '--dify-base', base, '--dify-mode', 'blocking'])),
      expectedContent: DIFY_ANSWER,
      checkTally: checkMpgateTally,
      checkDify: checkDifyCalls('blocking'),
    },
    {
      key: 'webot',
      name: 'node-webot wechat, Dify simulator (blocking)',
      start: () => withDify((base) => startChild('webot-server.ts', ['--dify-base', base])),
      expectedContent: DIFY_ANSWER,
      checkTally: checkWebotTally,
      checkDify: checkDifyCalls('blocking'),
    },
  ];
  return specs.filter((spec) => CASES.has(spec.key));
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });

async function main(): Promise<void> {
  const load = loadavg();
  const cores = cpus();
  console.log(
    `machine: ${cores.length} × ${cores[0]?.model.trim() ?? 'unknown CPU'}, node ${process.version}, ` +
      `load average before the run ${load.map((l) => l.toFixed(2)).join(' / ')} (1/5/15 min)`,
  );
  console.log(
    `autocannon: ${CONNECTIONS} connections; per case ${ROUNDS} rounds of ${WARMUP_SEC} s warm-up + ${fmt(MEASURE_SEC, 1)} s measured; ${FOLLOWERS} followers`,
  );
  freshPool();

  const tmp = mkdtempSync(join(tmpdir(), 'mpgate-bench-webhook-'));
  const specs = caseSpecs(tmp);
  const rounds = new Map<CaseSpec, RoundResult[]>(specs.map((spec) => [spec, []]));
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const spec of round % 2 === 0 ? specs : [...specs].reverse()) {
        const result = await runRound(spec, round);
        rounds.get(spec)?.push(result);
        const l = result.load;
        console.log(
          `  round ${round + 1}, ${spec.name}: ${fmt(l.perSec)} req/s, p50 ${l.p50Ms.toFixed(2)} ms, p99 ${l.p99Ms.toFixed(2)} ms, ` +
            `server ${fmt(result.serverCpuUs / l.ok)} µs CPU/req (${fmt(result.serverSystemUs / l.ok)} of it system)` +
            `${result.difyCpuUs === undefined ? '' : `, Dify sim ${fmt(result.difyCpuUs / l.ok)} µs CPU/req`}` +
            `${result.problems.length ? `  INVALID: ${result.problems.join('; ')}` : ''}`,
        );
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  const results = specs.map((spec) => aggregate(spec, rounds.get(spec) ?? []));
  printTable(results);
  if (results.some((r) => r.problems.length > 0)) {
    console.error('\nINVALID: some cases did not answer every request with a correct passive reply (see above).');
    process.exitCode = 1;
  }
}

function printTable(results: CaseResult[]): void {
  const perSec = (key: string): number | undefined => results.find((r) => r.spec.key === key)?.load.perSec;
  const bare = perSec('bare');
  const webot = perSec('webot');
  const rows = results.map((r) => {
    const ratio = bare === undefined ? undefined : r.load.perSec / bare;
    let target = '';
    let met: boolean | undefined;
    switch (r.spec.key) {
      case 'memory':
        target = '≥ 0.30× bare, p99 ≤ 4 ms';
        met = ratio === undefined ? undefined : ratio >= 0.3 && r.load.p99Ms <= 4;
        break;
      case 'sqlite':
        target = '≥ 0.25× bare';
        met = ratio === undefined ? undefined : ratio >= 0.25;
        break;
      case 'dify':
        target = `≥ 1.5× node-webot${webot === undefined ? '' : ` (${(r.load.perSec / webot).toFixed(2)}×)`}`;
        met = webot === undefined ? undefined : r.load.perSec >= 1.5 * webot;
        break;
      case 'dify-blocking':
        // Not the default mode, so not the target; shown for the same-mode comparison with node-webot.
        target = webot === undefined ? '' : `(${(r.load.perSec / webot).toFixed(2)}× node-webot, same Dify mode)`;
        break;
    }
    return [
      r.spec.name,
      fmt(r.load.perSec),
      r.load.p50Ms.toFixed(2),
      r.load.p99Ms.toFixed(2),
      ratio === undefined ? '' : `${ratio.toFixed(2)}×`,
      fmt(r.serverCpuUs) + (r.difyCpuUs === undefined ? '' : ` (+ Dify sim ${fmt(r.difyCpuUs)})`),
      `${Math.round(r.loadGenCore * 100)} %`,
      target,
      r.problems.length > 0 ? 'INVALID' : met === undefined ? '' : met ? 'yes' : 'no',
    ];
  });
  const header = ['case', 'req/s', 'p50 ms', 'p99 ms', '× bare', 'server CPU µs/req', 'load gen. core', 'target', 'met'];
  console.log(`\n| ${header.join(' | ')} |\n|${header.map((_, i) => (i === 0 || i >= 7 ? '---|' : '---:|')).join('')}`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

await main();
