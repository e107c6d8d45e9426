// Stream timing and transport edge cases, against a scripted node:http server on 127.0.0.1 (real sockets).
// The Dify simulator covers Dify's behaviours; this file pins down the client's own timers and retries.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DifyApiError, DifyTransportError } from './errors.js';
import { DifyServiceClient } from './service-client.js';
import type { DifyStreamEvent } from './stream-events.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server;
let baseUrl: string;
let handler: Handler = (_req, res) => res.end();
const hits: string[] = [];
const closedEarly: string[] = [];

before(async () => {
  server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.on('close', () => {
      if (!res.writableFinished) closedEarly.push(`${req.method} ${req.url}`);
    });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function reset(next: Handler): void {
  handler = next;
  hits.length = 0;
  closedEarly.length = 0;
}

function sse(res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8' });
  res.flushHeaders();
}

const frame = (payload: Record<string, unknown>): string => `data: ${JSON.stringify(payload)}\n\n`;
const base = { task_id: 't1', message_id: 'm1', conversation_id: 'c1', created_at: 1 };
const message = (answer: string) => frame({ event: 'message', ...base, id: 'm1', answer });
const messageEnd = frame({ event: 'message_end', ...base, id: 'm1', metadata: { usage: { total_tokens: 3 } } });

function client(extra: Partial<ConstructorParameters<typeof DifyServiceClient>[0]> = {}): DifyServiceClient {
  // Small overall caps: a regression fails in seconds instead of hanging the suite.
  return new DifyServiceClient({
    baseUrl,
    apiKey: 'app-secret-key',
    firstEventTimeoutMs: 200,
    idleTimeoutMs: 200,
    timeoutMs: 3_000,
    streamTimeoutMs: 3_000,
    retryDelayMs: 5,
    ...extra,
  });
}

const ask = { query: 'hi', user: 'u1' };

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i += 1) await new Promise((r) => setTimeout(r, 5));
}

describe('DifyEventStream over HTTP', () => {
  it('times out with first_event_timeout when only pings arrive, and closes the connection', async () => {
    const pinger: ReturnType<typeof setInterval>[] = [];
    reset((_req, res) => {
      sse(res);
      res.write('event: ping\n\n');
      pinger.push(setInterval(() => res.write('event: ping\n\n'), 40));
      res.on('close', () => pinger.forEach(clearInterval));
    });
    const stream = await client().chatMessages.stream(ask);
    const seen: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const event of stream) seen.push(event.event);
      })(),
      (err: unknown) => err instanceof DifyTransportError && err.reason === 'first_event_timeout' && err.endpoint === 'POST /chat-messages',
    );
    assert.ok(seen.length >= 1 && seen.every((e) => e === 'ping'), `pings were yielded: ${seen.join(',')}`);
    await waitFor(() => closedEarly.length > 0);
    assert.deepEqual(closedEarly, ['POST /v1/chat-messages']);
  });

  it('times out with first_event_timeout when even the headers never come', async () => {
    reset(() => undefined); // never answers
    await assert.rejects(client().chat(ask), (err: unknown) => err instanceof DifyTransportError && err.reason === 'first_event_timeout');
  });

  it('times out with idle_timeout when the stream stalls after the first event', async () => {
    reset((_req, res) => {
      sse(res);
      res.write(message('partial'));
    });
    await assert.rejects(client().chat(ask), (err: unknown) => err instanceof DifyTransportError && err.reason === 'idle_timeout');
  });

  it('does not count the consumer\'s own time between events as idle', async () => {
    reset((_req, res) => {
      sse(res);
      res.end(message('a') + message('b') + messageEnd);
    });
    const stream = await client({ idleTimeoutMs: 30 }).chatMessages.stream(ask);
    const answers: string[] = [];
    for await (const event of stream) {
      if (event.event === 'message') answers.push(event.answer);
      await new Promise((r) => setTimeout(r, 80)); // slower than the idle timeout
    }
    assert.deepEqual(answers, ['a', 'b']);
  });

  it('returns the answer when the server goes silent after message_end instead of closing', async () => {
    reset((_req, res) => {
      sse(res);
      res.write(message('done') + messageEnd);
    });
    const answer = await client().chat(ask);
    assert.equal(answer.answer, 'done');
    assert.equal(answer.usage?.total_tokens, 3);
    await waitFor(() => closedEarly.length > 0);
    assert.equal(closedEarly.length, 1, 'the client closed the lingering connection');
  });

  it('reports a stream that ends mid-answer as stream_cut', async () => {
    reset((_req, res) => {
      sse(res);
      res.end(message('half') + 'data: {"event":"mess');
    });
    await assert.rejects(client().chat(ask), (err: unknown) => err instanceof DifyTransportError && err.reason === 'stream_cut');
  });

  it('turns an error event into a DifyApiError and stops reading', async () => {
    reset((_req, res) => {
      sse(res);
      res.write(message('x') + frame({ event: 'error', message_id: 'm1', conversation_id: 'c1', status: 400, code: 'completion_request_error', message: 'LLM down' }));
    });
    const events: DifyStreamEvent['event'][] = [];
    await assert.rejects(
      (async () => {
        for await (const e of await client().chatMessages.stream(ask)) events.push(e.event);
      })(),
      (err: unknown) => err instanceof DifyApiError && err.status === 400 && err.difyCode === 'completion_request_error' && err.difyMessage === 'LLM down',
    );
    assert.deepEqual(events, ['message']);
  });

  it('aborts the request when the consumer breaks out of the loop', async () => {
    reset((_req, res) => {
      sse(res);
      res.write(message('first'));
    });
    for await (const event of await client({ idleTimeoutMs: 5_000 }).chatMessages.stream(ask)) {
      assert.equal(event.event, 'message');
      break;
    }
    await waitFor(() => closedEarly.length > 0);
    assert.deepEqual(closedEarly, ['POST /v1/chat-messages']);
  });

  it('aborts with reason "aborted" when the caller\'s signal fires', async () => {
    reset((_req, res) => {
      sse(res);
      res.write(message('first'));
    });
    const controller = new AbortController();
    const pending = client({ idleTimeoutMs: 5_000 }).chat(ask, { signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    await assert.rejects(pending, (err: unknown) => err instanceof DifyTransportError && err.reason === 'aborted');
  });

  it('rejects a 200 answer that is not an event stream as a protocol error', async () => {
    reset((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"event":"message","answer":"blocking?"}');
    });
    await assert.rejects(client().chat(ask), (err: unknown) => err instanceof DifyTransportError && err.reason === 'protocol');
  });
});

describe('DifyHttp retries', () => {
  it('retries an idempotent GET after a 503 and succeeds', async () => {
    let n = 0;
    reset((_req, res) => {
      n += 1;
      if (n === 1) {
        res.writeHead(503, { 'Content-Type': 'text/html' });
        res.end('<html>busy</html>');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"name":"app","description":"","tags":[],"mode":"chat"}');
    });
    const info = await client().app.info();
    assert.equal(info.mode, 'chat');
    assert.deepEqual(hits, ['GET /v1/info', 'GET /v1/info']);
  });

  it('gives up after maxRetries with the last error', async () => {
    reset((_req, res) => {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end('{"code":"internal_server_error","message":"boom","status":500}');
    });
    await assert.rejects(client({ maxRetries: 1 }).app.parameters(), (err: unknown) => err instanceof DifyApiError && err.status === 500);
    assert.equal(hits.length, 2);
  });

  it('never retries a generation POST', async () => {
    reset((_req, res) => {
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end('<html><body>502 Bad Gateway</body></html>');
    });
    await assert.rejects(
      client().chat(ask, { responseMode: 'blocking' }),
      (err: unknown) => err instanceof DifyApiError && err.status === 502 && err.difyCode === 'http_error',
    );
    await assert.rejects(client().chat(ask), (err: unknown) => err instanceof DifyApiError && err.status === 502);
    assert.deepEqual(hits, ['POST /v1/chat-messages', 'POST /v1/chat-messages']);
  });

  it('reports a refused connection as a network error without leaking the API key', async () => {
    const dead = new DifyServiceClient({ baseUrl: 'http://127.0.0.1:1/v1', apiKey: 'app-very-secret', maxRetries: 0 });
    await assert.rejects(dead.app.info(), (err: unknown) => {
      assert.ok(err instanceof DifyTransportError);
      assert.equal(err.reason, 'network');
      assert.ok(!err.message.includes('app-very-secret'));
      return true;
    });
  });

  it('sends the API key as Bearer and JSON with a Content-Type on DELETE', async () => {
    let seen: { auth?: string; type?: string; body: string } = { body: '' };
    reset((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen = { auth: req.headers.authorization, type: req.headers['content-type'], body };
        res.writeHead(204);
        res.end();
      });
    });
    await client().conversations.delete('3f1b7c9e-0000-4000-8000-000000000001', 'u1');
    assert.deepEqual(seen, { auth: 'Bearer app-secret-key', type: 'application/json', body: '{"user":"u1"}' });
    assert.deepEqual(hits, ['DELETE /v1/conversations/3f1b7c9e-0000-4000-8000-000000000001']);
  });
});
