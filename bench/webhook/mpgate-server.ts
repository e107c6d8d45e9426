/**
 * mpgate's gateway as `mpgate serve` runs it (fastify, the webhook, the delivery engine and its workers), with the
 * bench account in safe mode. `--store memory|sqlite` (`--sqlite-path`), `--ai instant` (an in-process answerer
 * that answers at once, so only the gateway is measured) or `--ai dify --dify-base <…/v1>` (the real Dify client,
 * streaming, or blocking with `--dify-mode blocking`, with per-follower conversations).
 */
import { parseArgs } from 'node:util';
import { loadConfigFromObject } from '../../src/config/load-config.js';
import type { Answerer } from '../../src/gateway/message-handler.js';
import type { WebhookEvent } from '../../src/gateway/webhook.js';
import { startGatewayServer } from '../../src/server/gateway-server.js';
import { serveChild } from './child-server.js';
import { ACCOUNT, DIFY_API_KEY, INSTANT_ANSWER } from './fixture.js';

const { values } = parseArgs({
  options: {
    store: { type: 'string', default: 'memory' },
    'sqlite-path': { type: 'string' },
    ai: { type: 'string', default: 'instant' },
    'dify-base': { type: 'string', default: 'http://127.0.0.1:9/v1' },
    'dify-mode': { type: 'string', default: 'streaming' },
  },
});

serveChild(async () => {
  const store =
    values.store === 'sqlite'
      ? { driver: 'sqlite', path: values['sqlite-path'] ?? failArg('--sqlite-path is required with --store sqlite') }
      : { driver: 'memory' };
  const config = loadConfigFromObject(
    {
      server: { host: '127.0.0.1', port: 0 },
      store,
      logging: { level: 'silent' },
      accounts: [
        {
          id: ACCOUNT.id,
          appId: ACCOUNT.appId,
          token: ACCOUNT.token,
          encodingAESKey: ACCOUNT.encodingAESKey,
          mode: 'safe',
          ai: { baseUrl: values['dify-base'], apiKey: DIFY_API_KEY, app: 'chat', responseMode: values['dify-mode'] },
        },
      ],
    },
    { env: {} },
  );
  const instant: Answerer = { ask: async () => ({ text: INSTANT_ANSWER, files: [] }) };
  const answerers = values.ai === 'instant' ? new Map([[ACCOUNT.id, instant]]) : undefined;
  if (values.ai !== 'instant' && values.ai !== 'dify') failArg(`--ai must be instant or dify, got ${values.ai}`);

  // Every outcome tallied, so the bench can check that each request got its passive reply.
  const tally: Record<string, number> = {};
  const observe = (event: WebhookEvent): void => {
    const key = event.type === 'refused' ? `refused ${event.status} ${event.reason}` : event.outcome;
    tally[key] = (tally[key] ?? 0) + 1;
  };
  const server = await startGatewayServer({ config, answerers, observe });
  return { url: server.url, stats: () => ({ ...tally }), close: () => server.close() };
});

function failArg(message: string): never {
  throw new Error(message);
}
