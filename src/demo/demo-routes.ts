import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { WechatSimulator } from '../sim/wechat/simulator.js';
import type { ChatTimeline } from './chat-timeline.js';
import { settingsChangeSchema, type DemoControls, type DemoSettings } from './demo-controls.js';
import type { MenuButton } from './demo-menu.js';
import type { FollowerSession } from './follower-session.js';
import { DEMO_PAGE_CSS } from './page/page-css.js';
import { demoPageHtml } from './page/page-html.js';
import { DEMO_PAGE_SCRIPT } from './page/page-script.js';

/** WeChat's temporary-image limit (the simulator's default): a bigger picture is refused before sending. */
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
/** How long a `timeline` request may wait for news. */
const MAX_WAIT_MS = 25_000;

/** What `GET /demo/api/state` answers: everything the page needs to draw itself. */
export interface DemoState {
  account: { id: string; name: string; appId: string; webhook: string };
  follower: { openid: string; subscribed: boolean };
  window: { timeoutMs: number; attempts: number; safetyMarginMs: number };
  /** What the follower sends to fetch a kept answer. */
  fetchKeyword: string;
  settings: DemoSettings;
  /** Latencies the panel offers as one-click presets, ms. */
  latencyPresets: number[];
  menu: readonly MenuButton[];
}

/** What the routes work with. The session is created once the server listens, hence a getter. */
export interface DemoRoutesContext {
  session: () => FollowerSession;
  timeline: ChatTimeline;
  controls: DemoControls;
  wechat: WechatSimulator;
  state: () => DemoState;
}

const followerMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text'), content: z.string().trim().min(1, { error: 'type something first' }).max(2000) }),
  z.strictObject({ type: z.literal('click'), key: z.string().min(1).max(128), label: z.string().max(60).default('') }),
  z.strictObject({ type: z.literal('subscribe') }),
  z.strictObject({ type: z.literal('unsubscribe') }),
]);

const timelineQuery = z.object({
  epoch: z.coerce.number().int().default(0),
  version: z.coerce.number().int().default(-1),
  waitMs: z.coerce.number().int().min(0).max(MAX_WAIT_MS).default(0),
});

class BadRequest extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** Parses a JSON body (the gateway takes every body as bytes) against a schema; a 400 names what is wrong. */
function jsonBody<T>(body: unknown, schema: z.ZodType<T>): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.isBuffer(body) ? body.toString('utf8') : '{}');
  } catch {
    throw new BadRequest('the body must be JSON');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new BadRequest(parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return parsed.data;
}

const noStore = (reply: FastifyReply): FastifyReply => reply.header('cache-control', 'no-store');

/**
 * The demo page and its JSON API, added to the gateway's port: `/demo/` (the page and its assets) and
 * `/demo/api/…` (state, send as the follower, the timeline by long polling, settings, media).
 */
export async function registerDemoRoutes(app: FastifyInstance, ctx: DemoRoutesContext): Promise<void> {
  app.get('/', (_request, reply) => reply.redirect('/demo/'));
  await app.register(
    async (demo) => {
      demo.setErrorHandler((err: Error & { statusCode?: number }, _request, reply) => {
        const status = err instanceof BadRequest ? err.status : (err.statusCode ?? 500);
        const message = status === 413 ? `the file is too large (at most ${MAX_IMAGE_BYTES / 1024 / 1024} MB, WeChat's limit for images)` : err.message;
        return reply.code(status).type('application/json').send({ error: message });
      });

      const page = (_request: unknown, reply: FastifyReply): FastifyReply => noStore(reply).type('text/html; charset=utf-8').send(demoPageHtml(ctx.state().account.name));
      demo.get('/', page); // with the prefix: both /demo and /demo/
      demo.get('/chat.css', (_request, reply) => noStore(reply).type('text/css; charset=utf-8').send(DEMO_PAGE_CSS));
      demo.get('/chat.js', (_request, reply) => noStore(reply).type('text/javascript; charset=utf-8').send(DEMO_PAGE_SCRIPT));

      demo.get('/api/state', (_request, reply) => noStore(reply).send(ctx.state()));

      demo.post('/api/messages', (request, reply) => {
        const input = jsonBody(request.body, followerMessageSchema);
        const session = ctx.session();
        if (input.type === 'subscribe' && session.subscribed) throw new BadRequest('the follower already follows the account', 409);
        if (input.type !== 'subscribe' && !session.subscribed) throw new BadRequest('the follower has unfollowed the account: follow it again first', 409);
        const label = input.type === 'click' ? input.label || input.key : '';
        return reply.code(202).send(session.send(input.type === 'click' ? { ...input, label } : input));
      });

      demo.post<{ Querystring: { filename?: string } }>('/api/images', { bodyLimit: MAX_IMAGE_BYTES }, (request, reply) => {
        const data = request.body;
        if (!Buffer.isBuffer(data) || data.length === 0) throw new BadRequest('send the image bytes as the body');
        const filename = (request.query.filename ?? 'image.jpg').replace(/[^\w.-]+/g, '_');
        if (!/\.(png|jpe?g|gif)$/i.test(filename)) throw new BadRequest('WeChat takes png, jpg or gif images');
        const session = ctx.session();
        if (!session.subscribed) throw new BadRequest('the follower has unfollowed the account: follow it again first', 409);
        return reply.code(202).send(session.send({ type: 'image', data, filename }));
      });

      demo.get('/api/timeline', async (request, reply) => {
        const q = timelineQuery.parse(request.query);
        if (q.waitMs > 0) await ctx.timeline.waitForChange(q.epoch, q.version, q.waitMs);
        return noStore(reply).send(ctx.timeline.changes(q.epoch, q.version));
      });

      demo.post('/api/settings', async (request) => ctx.controls.change(jsonBody(request.body, settingsChangeSchema)));

      demo.post('/api/restart', (_request, reply) => {
        ctx.session().restart();
        return reply.send(ctx.state());
      });

      demo.get<{ Querystring: { ref?: string } }>('/api/media', (request, reply) => {
        const file = request.query.ref ? ctx.wechat.file(request.query.ref) : undefined;
        if (!file) throw new BadRequest('no such media in the WeChat simulator', 404);
        return reply.header('cache-control', 'max-age=3600').type(file.contentType).send(file.bytes);
      });
    },
    { prefix: '/demo' },
  );
}
