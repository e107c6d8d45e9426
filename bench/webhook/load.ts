import autocannon, { type AutocannonRequest, type AutocannonResult } from 'autocannon';
import type { SignedRequest } from './signed-requests.js';

/** Hands out pre-signed requests, each once (or round and round, for a server that does not care). */
export class RequestFeed {
  readonly #pool: readonly SignedRequest[];
  readonly #cycle: boolean;
  #next = 0;
  /** Set when a non-cycling feed ran dry: its last request was re-sent (the server refuses it as a replay). */
  exhausted = false;

  constructor(pool: readonly SignedRequest[], options: { cycle?: boolean } = {}) {
    if (pool.length === 0) throw new Error('the request pool is empty');
    this.#pool = pool;
    this.#cycle = options.cycle ?? false;
  }

  /** Requests handed out so far. */
  get used(): number {
    return this.#next;
  }

  /** The next request. */
  next(): SignedRequest {
    if (this.#next >= this.#pool.length) {
      if (this.#cycle) this.#next = 0;
      else this.exhausted = true;
    }
    const request = this.#pool[Math.min(this.#next, this.#pool.length - 1)]!;
    this.#next++;
    return request;
  }

  /** The next `n` requests, for checks made outside the load. */
  take(n: number): SignedRequest[] {
    return Array.from({ length: n }, () => this.next());
  }
}

export interface LoadOptions {
  connections: number;
  durationSec: number;
}

/** What one timed load run measured. Latencies are of 2xx responses, from autocannon's own timing (float ms). */
export interface LoadResult {
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  perSec: number;
  p50Ms: number;
  p99Ms: number;
  statusCodes: Record<string, number>;
  /** Every 2xx latency (ms), sorted. */
  latencies: Float64Array;
}

/** Runs autocannon against `url` for `durationSec`, every request POSTing the feed's next callback. */
export async function runLoad(url: string, feed: RequestFeed, options: LoadOptions): Promise<LoadResult> {
  const request: AutocannonRequest = {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    setupRequest: (req) => {
      const next = feed.next();
      return { ...req, path: next.path, body: next.body };
    },
  };
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  const result = await new Promise<AutocannonResult>((resolve, reject) => {
    const instance = autocannon(
      { url, connections: options.connections, pipelining: 1, duration: options.durationSec, timeout: 10, requests: [request] },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode < 200 || statusCode > 299) return;
      if (count === latencies.length) {
        const grown = new Float64Array(latencies.length * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[count++] = responseTime;
    });
  });
  const sorted = latencies.slice(0, count).sort();
  const seconds = (result.finish.getTime() - result.start.getTime()) / 1000;
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count: n }]) => [code, n]));
  return {
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds,
    perSec: result['2xx'] / seconds,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    statusCodes,
    latencies: sorted,
  };
}

/** Several runs of one case as one: requests and seconds added up, percentiles over all their latencies. */
export function mergeLoads(runs: readonly LoadResult[]): LoadResult {
  const latencies = new Float64Array(runs.reduce((n, r) => n + r.latencies.length, 0));
  let at = 0;
  for (const run of runs) {
    latencies.set(run.latencies, at);
    at += run.latencies.length;
  }
  latencies.sort();
  const add = (pick: (r: LoadResult) => number): number => runs.reduce((n, r) => n + pick(r), 0);
  const statusCodes: Record<string, number> = {};
  for (const run of runs) for (const [code, n] of Object.entries(run.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
  const ok = add((r) => r.ok);
  const seconds = add((r) => r.seconds);
  return {
    ok,
    non2xx: add((r) => r.non2xx),
    errors: add((r) => r.errors),
    timeouts: add((r) => r.timeouts),
    seconds,
    perSec: ok / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    statusCodes,
    latencies,
  };
}

/** The nearest-rank percentile of sorted values. */
function percentile(sorted: Float64Array, p: number): number {
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
