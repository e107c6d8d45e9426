import { createServer, type Server } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { pino } from 'pino';
import { BackupScheduler } from '../backup/scheduler.js';
import type { MpgateConfig } from '../config/schema.js';
import { Gateway } from '../gateway/gateway.js';
import type { Answerer } from '../gateway/message-handler.js';
import type { WebhookEvent } from '../gateway/webhook.js';
import { createStore } from '../store/create-store.js';
import type { Store } from '../store/store.js';
import { DEFAULT_MAX_XML_BYTES } from '../wechat/xml-body.js';
import { ServerMetrics } from './metrics.js';
import { webhookRoute } from './webhook-route.js';

export interface GatewayServerOptions {
  config: MpgateConfig;
  logger?: Logger | undefined;
  /** Use this store instead of opening `config.store` (the caller then closes it). */
  store?: Store | undefined;
  answerers?: ReadonlyMap<string, Answerer> | undefined;
  observe?: ((event: WebhookEvent) => void) | undefined;
  /** Adds routes (the demo page, simulators) to the same port. */
  extend?: ((app: FastifyInstance) => Promise<void> | void) | undefined;
  /**
   * On close, how long AI calls already running may take to finish (default 10 s). One still running after that
   * is abandoned: its lease expires and another process, or this one restarted, takes the message over.
   */
  shutdownGraceMs?: number | undefined;
}

export interface GatewayServer {
  /** `http://host:port` */
  url: string;
  app: FastifyInstance;
  gateway: Gateway;
  store: Store;
  /** Graceful: stops accepting, lets open deliveries finish, stops the workers, closes the store. */
  close(): Promise<void>;
}

/**
 * Starts `mpgate serve`: the WeChat webhook of every account (`/wechat/:accountId`), `/healthz`, `/readyz` and
 * `/metrics` on one port.
 */
export async function startGatewayServer(options: GatewayServerOptions): Promise<GatewayServer> {
  const { config } = options;
  const logger = options.logger ?? pino({ level: 'silent' });
  const ownStore = options.store === undefined;
  const store = options.store ?? (await createStore({ ...config.store, logger }));
  const metrics = new ServerMetrics(config.accounts.map((a) => a.id));
  const gateway = new Gateway({
    config,
    store,
    logger,
    answerers: options.answerers,
    observe: (event) => {
      metrics.observe(event);
      options.observe?.(event);
    },
  });

  // A delivery that must not be answered (WeChat will retry) is held open until WeChat gives up; this cap only
  // frees sockets of clients that never hang up.
  const holdCapMs = config.delivery.timeoutMs * 2 + 5000;

  const app = Fastify({
    bodyLimit: DEFAULT_MAX_XML_BYTES,
    // Any of fastify's trustProxy forms (boolean, hops, addresses); its overloads cannot take the union.
    trustProxy: config.server.trustProxy as boolean,
    // The webhook (`/wechat/:accountId`) is served on the bare server; fastify gets every other request.
    serverFactory: (fastifyHandler, opts) => {
      const server: Server = createServer(
        webhookRoute({ webhook: gateway.webhook, logger, maxBodyBytes: DEFAULT_MAX_XML_BYTES, holdCapMs, fallback: fastifyHandler, draining: () => !server.listening }),
      );
      // fastify tunes only the servers it creates: keep its timeouts (72 s keep-alive, no request timeout).
      server.keepAliveTimeout = opts.keepAliveTimeout as number;
      server.requestTimeout = opts.requestTimeout as number;
      server.setTimeout(opts.connectionTimeout as number);
      return server;
    },
  });
  // Take every body as bytes (the demo's routes parse their own JSON).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const up = await store.ping().catch(() => false);
    metrics.storeUp.set(up ? 1 : 0);
    return reply.code(up ? 200 : 503).send({ status: up ? 'ready' : 'store unavailable', store: store.driver, accounts: gateway.accounts.size });
  });
  app.get('/metrics', async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
  app.setErrorHandler((err: Error & { statusCode?: number }, _request, reply) => {
    const status = err.statusCode ?? 500;
    if (status >= 500) logger.error({ err }, 'request failed');
    // WeChat treats anything but a valid reply as a failure; a plain status line is the most honest answer.
    return reply.code(status).type('text/plain').send(status === 413 ? 'body too large' : status >= 500 ? 'internal error' : err.message);
  });
  await options.extend?.(app);

  // Scheduled Dify backups (`backups:`), if configured: failures are logged and counted on /metrics.
  const backups = config.backups ? new BackupScheduler({ config: config.backups, logger: logger.child({ component: 'backup' }) }) : undefined;
  if (backups) metrics.watchBackups(() => backups.counters);

  await app.listen({ host: config.server.host, port: config.server.port });
  gateway.start();
  backups?.start();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  const url = `http://${config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    app,
    gateway,
    store,
    close: () =>
      (closing ??= (async () => {
        await app.close(); // stops accepting; open deliveries still get their answer or their deadline
        const grace = new Promise((resolve) => setTimeout(resolve, options.shutdownGraceMs ?? 10_000).unref());
        await Promise.race([Promise.all([gateway.stop(), backups?.stop()]), grace]);
        if (ownStore) await store.close();
      })()),
  };
}
