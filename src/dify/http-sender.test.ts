// Both wire senders (undici.request and a caller's fetch) against one node:http server on 127.0.0.1:
// same request on the wire, same answer, same early close. DifyHttp's choice between them is checked last.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { fetchSender } from './fetch-sender.js';
import type { HttpSender, OutgoingRequest } from './http-sender.js';
import { DifyHttp } from './http-transport.js';
import { undiciSender } from './undici-sender.js';

interface Seen {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

let server: Server;
let origin: string;
let handler: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void = (_req, res) => res.end();
const seen: Seen[] = [];
const closedEarly: string[] = [];

before(async () => {
  server = createServer((req, res) => {
    res.on('close', () => {
      if (!res.writableFinished) closedEarly.push(`${req.method} ${req.url}`);
    });
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const body = Buffer.concat(parts);
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function reset(next: typeof handler): void {
  handler = next;
  seen.length = 0;
  closedEarly.length = 0;
}

function outgoing(path: string, extra: Partial<OutgoingRequest> = {}): OutgoingRequest {
  return { method: 'GET', url: `${origin}${path}`, headers: {}, body: undefined, signal: new AbortController().signal, ...extra };
}

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i += 1) await new Promise((r) => setTimeout(r, 5));
}

const senders: [string, HttpSender][] = [
  ['undici.request', undiciSender()],
  ['a custom fetch', fetchSender((input, init) => fetch(input, init))],
];

for (const [name, send] of senders) {
  describe(`sender over ${name}`, () => {
    it('sends method, headers and a JSON body, and reads status, headers and body', async () => {
      reset((_req, res) => {
        res.setHeader('Set-Cookie', ['a=1; Path=/', 'b=2; Path=/']);
        res.writeHead(201, { 'Content-Type': 'application/json', 'X-Version': '1.9.1' });
        res.end('{"ok":true}');
      });
      const response = await send(
        outgoing('/v1/things?x=1', { method: 'DELETE', headers: { 'Content-Type': 'application/json', 'User-Agent': 'mpgate/test' }, body: '{"user":"u1"}' }),
      );
      assert.equal(response.status, 201);
      assert.equal(response.header('x-version'), '1.9.1');
      assert.equal(response.header('x-missing'), undefined);
      assert.deepEqual(response.headers.getSetCookie(), ['a=1; Path=/', 'b=2; Path=/']);
      assert.equal(new TextDecoder().decode(await response.bytes()), '{"ok":true}');
      const [request] = seen;
      assert.equal(request?.method, 'DELETE');
      assert.equal(request?.url, '/v1/things?x=1');
      assert.equal(request?.headers['content-type'], 'application/json');
      assert.equal(request?.headers['user-agent'], 'mpgate/test');
      assert.equal(request?.body.toString(), '{"user":"u1"}');
    });

    it('sends a global FormData as multipart with a known length and the file name', async () => {
      reset((_req, res) => res.end());
      const form = new FormData();
      form.append('file', new Blob([new TextEncoder().encode('#!AMR\n')], { type: 'audio/amr' }), 'voice.amr');
      form.append('user', 'u1');
      const response = await send(outgoing('/v1/audio-to-text', { method: 'POST', body: form }));
      await response.bytes();
      const request = seen[0];
      assert.ok(request);
      const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(request.headers['content-type'] ?? '')?.[1];
      assert.ok(boundary, `content-type ${request.headers['content-type']}`);
      assert.equal(request.headers['content-length'], String(request.body.length));
      const text = request.body.toString('latin1');
      assert.match(text, /Content-Disposition: form-data; name="file"; filename="voice.amr"\r\nContent-Type: audio\/amr\r\n\r\n#!AMR\n\r\n/);
      assert.match(text, /Content-Disposition: form-data; name="user"\r\n\r\nu1\r\n/);
      assert.ok(text.trimEnd().endsWith(`--${boundary}--`));
    });

    it('yields the body chunk by chunk as the server writes it', async () => {
      let finish: (() => void) | undefined;
      reset((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/event-stream' });
        res.write('data: one\n\n');
        finish = () => res.end('data: two\n\n');
      });
      const response = await send(outgoing('/v1/stream', { method: 'POST', body: '{}' }));
      const chunks = response.chunks();
      const first = await chunks.next();
      assert.equal(first.done, false);
      assert.equal(Buffer.from(first.value as Uint8Array).toString(), 'data: one\n\n');
      finish?.();
      let rest = '';
      for (let next = await chunks.next(); next.done !== true; next = await chunks.next()) rest += Buffer.from(next.value).toString();
      assert.equal(rest, 'data: two\n\n');
      assert.deepEqual(closedEarly, []);
    });

    it('closes the connection when the reader stops before the end', async () => {
      reset((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/event-stream' });
        res.write('data: one\n\n');
      });
      const response = await send(outgoing('/v1/stream', { method: 'POST', body: '{}' }));
      const chunks = response.chunks();
      await chunks.next();
      await chunks.return?.();
      await waitFor(() => closedEarly.length > 0);
      assert.deepEqual(closedEarly, ['POST /v1/stream']);
    });

    it('rejects a pending read with the abort reason when the signal fires', async () => {
      reset((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/event-stream' });
        res.write('data: one\n\n');
      });
      const controller = new AbortController();
      const response = await send(outgoing('/v1/stream', { method: 'POST', body: '{}', signal: controller.signal }));
      const chunks = response.chunks();
      await chunks.next();
      const reason = new Error('stop now');
      setTimeout(() => controller.abort(reason), 10);
      await assert.rejects(chunks.next());
      await waitFor(() => closedEarly.length > 0);
      assert.deepEqual(closedEarly, ['POST /v1/stream']);
    });
  });
}

describe('DifyHttp picks its sender', () => {
  const http = (fetchImpl?: typeof fetch): DifyHttp =>
    new DifyHttp({ baseUrl: `${origin}/v1/`, timeoutMs: 2_000, maxRetries: 0, retryDelayMs: 1, logger: pino({ level: 'silent' }), fetch: fetchImpl });
  // Only fetch adds the Fetch-metadata header `Sec-Fetch-Mode`; undici.request sends just what it is given.
  const viaFetch = (): boolean => seen[0]?.headers['sec-fetch-mode'] !== undefined;

  it('uses undici.request without a fetch, or with the unpatched global fetch', async () => {
    for (const fetchImpl of [undefined, globalThis.fetch]) {
      reset((_req, res) => res.end('{}'));
      assert.equal((await http(fetchImpl).send({ method: 'GET', path: '/info' })).status, 200);
      assert.equal(seen[0]?.url, '/v1/info');
      assert.equal(viaFetch(), false);
    }
  });

  it('uses a custom fetch, for plain requests and streams alike', async () => {
    const calls: string[] = [];
    const spy: typeof fetch = (input, init) => {
      calls.push(`${init?.method} ${String(input)}`);
      return fetch(input, init);
    };
    reset((_req, res) => res.end('{}'));
    await http(spy).send({ method: 'GET', path: '/info' });
    assert.equal(viaFetch(), true);
    reset((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.end('data: {}\n\n');
    });
    const opened = await http(spy).openStream({ method: 'POST', path: '/chat-messages', json: {} }, { timeoutMs: 2_000, firstEventTimeoutMs: 2_000, idleTimeoutMs: 2_000 });
    opened.watchdog.dispose();
    await opened.body.return?.();
    assert.deepEqual(calls, [`GET ${origin}/v1/info`, `POST ${origin}/v1/chat-messages`]);
  });
});
