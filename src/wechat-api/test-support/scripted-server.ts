/**
 * A tiny HTTP server on 127.0.0.1 for the client's unit tests: each request is recorded and answered by a
 * handler the test supplies, so the core and the token manager are tested over real HTTP without the simulator.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export type ScriptedAnswer =
  | { json: unknown; status?: number; contentType?: string }
  | { bytes: Buffer; contentType: string; headers?: Record<string, string> }
  | { text: string; status?: number; contentType?: string }
  | { hang: true };

export interface ScriptedServer {
  apiBase: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Start a server answering each request with `handler(request)`. */
export async function startScriptedServer(handler: (request: RecordedRequest) => ScriptedAnswer | Promise<ScriptedAnswer>): Promise<ScriptedServer> {
  const requests: RecordedRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const recorded: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks) };
      requests.push(recorded);
      void Promise.resolve(handler(recorded)).then((answer) => {
        if ('hang' in answer) {
          hanging.add(res);
          return;
        }
        if ('json' in answer) {
          res.writeHead(answer.status ?? 200, { 'content-type': answer.contentType ?? 'application/json; encoding=utf-8' });
          res.end(JSON.stringify(answer.json));
        } else if ('bytes' in answer) {
          res.writeHead(200, { 'content-type': answer.contentType, ...answer.headers });
          res.end(answer.bytes);
        } else {
          res.writeHead(answer.status ?? 200, { 'content-type': answer.contentType ?? 'text/html' });
          res.end(answer.text);
        }
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiBase: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
