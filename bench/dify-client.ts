/**
 * CPU per call of mpgate's Dify client against the Dify simulator (its own process, the webhook bench's chat app):
 * streaming `chat()` (what the gateway uses), blocking `chat()`, and a bare `undici.request` blocking call as the
 * floor. 10 calls in flight; after a warm-up of every case, each case runs twice, alternating.
 *
 * Run: node --import tsx bench/dify-client.ts [calls per case = 3000]
 */
import { request } from 'undici';
import { DifyServiceClient } from '../src/dify/service-client.js';
import { startChild } from './webhook/child-server.js';
import { DIFY_API_KEY, DIFY_ANSWER } from './webhook/fixture.js';

const N = Number(process.argv[2] ?? 3000);
const IN_FLIGHT = 10;
const sim = await startChild('dify-server.ts', []);
const client = new DifyServiceClient({ baseUrl: sim.url, apiKey: DIFY_API_KEY, mode: 'chat' });
const ask = (i: number) => ({ query: '你好', user: `u${i % 1000}`, inputs: {} });

const cases: Record<string, (i: number) => Promise<string>> = {
  'chat(), streaming': async (i) => (await client.chat(ask(i))).answer,
  'chat(), blocking': async (i) => (await client.chat(ask(i), { responseMode: 'blocking' })).answer,
  'bare undici.request, blocking': async (i) => {
    const response = await request(`${sim.url}/chat-messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DIFY_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...ask(i), response_mode: 'blocking' }),
    });
    return ((await response.body.json()) as { answer: string }).answer;
  },
};

/** Runs `count` calls of one case, IN_FLIGHT at a time, checking every answer. */
async function drive(name: string, call: (i: number) => Promise<string>, count: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < count) {
        const answer = await call(next++);
        if (answer !== DIFY_ANSWER) throw new Error(`${name}: unexpected answer ${JSON.stringify(answer)}`);
      }
    }),
  );
}

const cpuUs = (stats: Record<string, number>): number => (stats.cpuUserUs ?? 0) + (stats.cpuSystemUs ?? 0);
console.log(`node ${process.version}; ${N} calls per case, ${IN_FLIGHT} in flight`);
try {
  for (const [name, call] of Object.entries(cases)) await drive(name, call, Math.ceil(N / 3)); // warm-up (JIT)
  for (let round = 1; round <= 2; round++) {
    for (const [name, call] of Object.entries(cases)) {
      const simBefore = await sim.stats();
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      await drive(name, call, N);
      const ms = performance.now() - started;
      const cpu = process.cpuUsage(cpuBefore);
      const simUs = (cpuUs(await sim.stats()) - cpuUs(simBefore)) / N;
      console.log(
        `round ${round}, ${name.padEnd(30)} ${Math.round((N / ms) * 1000).toLocaleString('en').padStart(6)} calls/s, ` +
          `client ${Math.round((cpu.user + cpu.system) / N)} µs CPU/call (${Math.round(cpu.system / N)} system), simulator ${Math.round(simUs)} µs`,
      );
    }
  }
} finally {
  await sim.close();
}
