/**
 * The Dify simulator with one chat app whose scripted answer is DIFY_ANSWER, for the realistic path. Streams
 * chunk it as the simulator does by default (4 code points per `message` event, like a model's tokens).
 */
import { startDifySimulator } from '../../src/sim/dify/index.js';
import { serveChild } from './child-server.js';
import { DIFY_ANSWER, DIFY_API_KEY } from './fixture.js';

serveChild(async () => {
  const sim = await startDifySimulator({ apps: [{ mode: 'chat', apiKey: DIFY_API_KEY, script: [{ answer: DIFY_ANSWER }] }] });
  return {
    url: sim.serviceBase,
    stats: () => {
      const counts: Record<string, number> = {};
      for (const call of sim.calls({ kind: 'generation' })) {
        const key = `${call.responseMode ?? 'unknown'} ${call.status ?? 'open'}`;
        counts[key] = (counts[key] ?? 0) + 1;
      }
      return counts;
    },
    close: () => sim.close(),
  };
});
