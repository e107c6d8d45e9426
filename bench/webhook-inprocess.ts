/**
 * The gateway's webhook handler driven in-process, without HTTP: CPU per message for the whole path (verify,
 * decrypt, parse, replay guard, claim, queue, worker, instant answer, reply, encrypt), and every store call
 * counted and timed (its synchronous part). Shows where a message's cost goes apart from the socket.
 *
 * Run: node --import tsx bench/webhook-inprocess.ts [memory|sqlite] [messages=30000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigFromObject } from '../src/config/load-config.js';
import { Gateway } from '../src/gateway/gateway.js';
import { MemoryStore } from '../src/store/memory-store.js';
import { SqliteStore } from '../src/store/sqlite-store.js';
import type { Store } from '../src/store/store.js';
import { ACCOUNT, DIFY_API_KEY, INSTANT_ANSWER } from './webhook/fixture.js';
import { signedRequestPool } from './webhook/signed-requests.js';

const driver = process.argv[2] ?? 'memory';
const N = Number(process.argv[3] ?? 30_000);
const CONCURRENT = 10;
const dir = mkdtempSync(join(tmpdir(), 'mpgate-inproc-'));
const inner: Store = driver === 'sqlite' ? new SqliteStore({ path: join(dir, 'bench.db') }) : new MemoryStore();

// Every store call timed (its synchronous part: for SQLite group commit, the queueing, not the commit).
const calls = new Map<string, { n: number; us: number }>();
const store = new Proxy(inner, {
  get(target, prop, receiver) {
    const value: unknown = Reflect.get(target, prop, receiver);
    if (typeof value !== 'function' || prop === 'constructor') return value;
    return (...args: unknown[]) => {
      const queued = prop === 'lease' || prop === 'enqueue' || prop === 'ack' || prop === 'queueSize';
      const name = `${String(prop)}${queued ? `(${String(args[0]).split(':')[0]})` : ''}`;
      const started = performance.now();
      const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
      const entry = calls.get(name) ?? { n: 0, us: 0 };
      entry.n++;
      entry.us += (performance.now() - started) * 1000;
      calls.set(name, entry);
      return result;
    };
  },
}) as Store;

const config = loadConfigFromObject(
  {
    server: { host: '127.0.0.1', port: 0 },
    store: { driver: 'memory' },
    logging: { level: 'silent' },
    accounts: [
      {
        id: ACCOUNT.id,
        appId: ACCOUNT.appId,
        token: ACCOUNT.token,
        encodingAESKey: ACCOUNT.encodingAESKey,
        mode: 'safe',
        ai: { baseUrl: 'http://127.0.0.1:9/v1', apiKey: DIFY_API_KEY, app: 'chat' },
      },
    ],
  },
  { env: {} },
);
const gateway = new Gateway({
  config,
  store,
  answerers: new Map([[ACCOUNT.id, { ask: async () => ({ text: INSTANT_ANSWER, files: [] }) }]]),
});
gateway.start();

const pool = signedRequestPool({ count: N, followers: 1000 }).map((r) => ({
  query: Object.fromEntries(new URL(r.path, 'http://bench').searchParams),
  body: Buffer.from(r.body),
}));
let next = 0;
let failed = 0;
const worker = async (): Promise<void> => {
  while (next < N) {
    const request = pool[next++]!;
    const response = await gateway.webhook.handle({ method: 'POST', accountId: ACCOUNT.id, query: request.query, body: request.body });
    if (response.status !== 200) failed++;
  }
};

const cpu0 = process.cpuUsage();
const t0 = performance.now();
await Promise.all(Array.from({ length: CONCURRENT }, worker));
const cpu = process.cpuUsage(cpu0);
const seconds = (performance.now() - t0) / 1000;

console.log(`${driver}: ${N} messages, ${CONCURRENT} at a time, ${failed} not answered with 200`);
console.log(`  ${((cpu.user + cpu.system) / N).toFixed(1)} µs CPU per message, ${(N / seconds).toFixed(0)} messages/s`);
let storeUs = 0;
for (const [name, c] of [...calls].sort((a, b) => b[1].us - a[1].us)) {
  storeUs += c.us;
  console.log(`  ${name.padEnd(20)} ${(c.n / N).toFixed(2)} calls/message  ${(c.us / N).toFixed(2)} µs/message`);
}
console.log(`  store, synchronous part: ${(storeUs / N).toFixed(1)} µs per message`);
await gateway.stop();
await inner.close();
rmSync(dir, { recursive: true, force: true });
if (failed > 0) process.exitCode = 1;
