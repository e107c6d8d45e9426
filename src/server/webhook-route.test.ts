// The webhook route on bare node:http: first inside the real gateway server (what still reaches fastify, and the
// refusals the route now answers itself), then alone with a stand-in webhook (errors, holds, hang-ups, parsing).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { loadConfigFromObject } from '../config/load-config.js';
import type { HangupSignal } from '../gateway/delivery-engine.js';
import type { WebhookRequest, WebhookResponse } from '../gateway/webhook.js';
import { computeSignature } from '../wechat/signature.js';
import { DEFAULT_MAX_XML_BYTES } from '../wechat/xml-body.js';
import { startGatewayServer, type GatewayServer } from './gateway-server.js';
import { webhookRoute } from './webhook-route.js';

const TOKEN = 'routeTestToken';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** One request over node:http; `chunks` are written one by one, so without a content-length they go chunked. */
function send(origin: string, method: string, path: string, o: { headers?: Record<string, string>; chunks?: Buffer[] } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${origin}${path}`, { method, headers: o.headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(parts).toString('utf8') }));
    });
    req.on('error', reject);
    for (const chunk of o.chunks ?? []) req.write(chunk);
    req.end();
  });
}

describe('inside the gateway server', () => {
  let server: GatewayServer;

  before(async () => {
    const config = loadConfigFromObject(
      {
        server: { host: '127.0.0.1', port: 0 },
        store: { driver: 'memory' },
        logging: { level: 'silent' },
        accounts: [
          {
            id: 'main',
            appId: 'wx0123456789abcdef',
            token: TOKEN,
            encodingAESKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
            mode: 'safe',
            ai: { baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'app-test', app: 'chat' },
          },
        ],
      },
      { env: {} },
    );
    server = await startGatewayServer({ config });
  });
  after(() => server.close());

  it('leaves every other path to fastify', async () => {
    const health = await send(server.url, 'GET', '/healthz');
    assert.equal(health.status, 200);
    assert.match(String(health.headers['content-type']), /^application\/json/);
    assert.deepEqual(JSON.parse(health.text), { status: 'ok' });
    const unknown = await send(server.url, 'GET', '/nope');
    assert.equal(unknown.status, 404);
    assert.match(unknown.text, /Route GET:\/nope not found/);
    assert.equal((await send(server.url, 'GET', '/wechat/main/more')).status, 404, 'two segments are not the webhook');
  });

  it('answers with one correct content-length, and /metrics still counts webhook refusals', async () => {
    const q = { timestamp: '1714036504', nonce: '1514711492', echostr: '回声 echo' };
    const signature = computeSignature(TOKEN, q.timestamp, q.nonce);
    const res = await send(server.url, 'GET', `/wechat/main?${new URLSearchParams({ ...q, signature })}`);
    assert.equal(res.status, 200);
    assert.equal(res.text, q.echostr);
    assert.equal(res.headers['content-type'], 'text/plain');
    assert.equal(res.headers['content-length'], String(Buffer.byteLength(q.echostr)));

    assert.equal((await send(server.url, 'GET', `/wechat/main?${new URLSearchParams({ ...q, signature: '0'.repeat(40) })}`)).status, 401);
    assert.equal((await send(server.url, 'GET', `/wechat/made-up-1?${new URLSearchParams(q)}`)).status, 404);
    assert.equal((await send(server.url, 'GET', `/wechat/made-up-2?${new URLSearchParams(q)}`)).status, 404);
    const metrics = await send(server.url, 'GET', '/metrics');
    assert.match(metrics.text, /mpgate_webhook_refused_total\{account="main",status="401"\} 1/);
    // Ids nobody configured share one label, so requests cannot grow the metrics without bound.
    assert.match(metrics.text, /mpgate_webhook_refused_total\{account="\(unknown\)",status="404"\} 2/);
    assert.doesNotMatch(metrics.text, /made-up/);
  });

  it('refuses other methods with 405 and Allow', async () => {
    const res = await send(server.url, 'PUT', '/wechat/main?timestamp=1&nonce=2', { chunks: [Buffer.from('<xml/>')] });
    assert.equal(res.status, 405);
    assert.equal(res.headers.allow, 'GET, POST');
  });

  it('refuses a body over the limit with 413: by its content-length, and while reading a chunked one', async () => {
    const big = Buffer.alloc(DEFAULT_MAX_XML_BYTES + 1, 'A');
    const declared = await send(server.url, 'POST', '/wechat/main?timestamp=1&nonce=2', {
      headers: { 'content-type': 'text/xml', 'content-length': String(big.length) },
      chunks: [big],
    });
    assert.equal(declared.status, 413);
    assert.equal(declared.text, 'body too large');
    assert.equal(declared.headers.connection, 'close');

    const chunk = Buffer.alloc(16 * 1024, 'A');
    const chunked = await send(server.url, 'POST', '/wechat/main?timestamp=1&nonce=2', {
      headers: { 'content-type': 'text/xml' },
      chunks: [chunk, chunk, chunk, chunk, chunk],
    });
    assert.equal(chunked.status, 413);
    assert.equal(chunked.text, 'body too large');
  });

  it('answers 400 to a malformed escape in the account id', async () => {
    assert.equal((await send(server.url, 'GET', '/wechat/%E0%A4%A?timestamp=1&nonce=2')).status, 400);
    assert.equal((await send(server.url, 'GET', '/wechat/%zz')).status, 400);
  });
});

describe('alone, with a stand-in webhook', () => {
  let server: Server;
  let origin: string;
  let draining = false;
  let answer: (req: WebhookRequest) => Promise<WebhookResponse> = async () => ({ status: 200, body: 'ok', contentType: 'text/plain' });
  const seen: WebhookRequest[] = [];
  const errors: unknown[] = [];
  const logger = { error: (obj: unknown) => errors.push(obj) } as unknown as Logger;

  before(async () => {
    const listener = webhookRoute({
      webhook: {
        handle: (req) => {
          seen.push(req);
          return answer(req);
        },
      },
      logger,
      maxBodyBytes: 100,
      holdCapMs: 150,
      fallback: (_req, res) => res.end('fallback'),
      draining: () => draining,
    });
    server = createServer(listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('passes the decoded account id, the first of repeated query values, and the body', async () => {
    seen.length = 0;
    await send(origin, 'GET', '/wechat/a%2Db?timestamp=1&timestamp=2&nonce=%E4%BD%A0');
    await send(origin, 'POST', '/wechat/main?x=1', { chunks: [Buffer.from('<xml>'), Buffer.from('</xml>')] });
    await send(origin, 'POST', '/wechat/main');
    assert.deepEqual(
      seen.map(({ method, accountId, query, body }) => ({ method, accountId, query: { ...query }, body: body && Buffer.from(body).toString() })),
      [
        { method: 'GET', accountId: 'a-b', query: { timestamp: '1', nonce: '你' }, body: undefined },
        { method: 'POST', accountId: 'main', query: { x: '1' }, body: '<xml></xml>' },
        { method: 'POST', accountId: 'main', query: {}, body: undefined },
      ],
    );
  });

  it('answers 500 and logs when the webhook throws', async () => {
    answer = async () => {
      throw new Error('boom');
    };
    const res = await send(origin, 'GET', '/wechat/main');
    assert.equal(res.status, 500);
    assert.equal(res.text, 'internal error');
    assert.equal(errors.length, 1);
  });

  it('holds: answers nothing and frees the socket after the cap', async () => {
    answer = async () => ({ status: 'hold' });
    const started = Date.now();
    await assert.rejects(send(origin, 'POST', '/wechat/main', { chunks: [Buffer.from('<xml/>')] }), /socket hang up/);
    assert.ok(Date.now() - started >= 140, 'held until the cap');
  });

  it('marks the signal aborted when the client hangs up, not when the reply was sent', { timeout: 5000 }, async () => {
    const signals: HangupSignal[] = [];
    answer = (req) => {
      signals.push(req.signal!);
      return new Promise((resolve) => setTimeout(() => resolve({ status: 200, body: 'late', contentType: 'text/plain' }), 100));
    };
    const req = request(`${origin}/wechat/main`);
    req.on('error', () => {});
    req.end();
    while (signals.length === 0) await new Promise((r) => setTimeout(r, 5));
    assert.equal(signals[0]!.aborted, false);
    req.destroy();
    while (!signals[0]!.aborted) await new Promise((r) => setTimeout(r, 5));
    // A request answered normally never reads as aborted, even after its connection closes.
    assert.equal((await send(origin, 'GET', '/wechat/main')).text, 'late');
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(signals[1]!.aborted, false);
  });

  it('hands every request to fastify while draining (it answers 503)', async () => {
    draining = true;
    try {
      assert.equal((await send(origin, 'GET', '/wechat/main')).text, 'fallback');
    } finally {
      draining = false;
    }
  });
});
