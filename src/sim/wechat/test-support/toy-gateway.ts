import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the toy gateway received it. */
export interface ToyRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Query parameter names in the order they were sent. */
  queryOrder: string[];
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the toy gateway answers: a response, or `hang` to let the caller time out. */
export type ToyAnswer = { status?: number; body: string; contentType?: string } | 'hang';

/** A minimal HTTP server standing in for a gateway, recording every request. */
export interface ToyGateway {
  url: string;
  requests: ToyRequest[];
  close(): Promise<void>;
}

/** Starts a toy gateway on 127.0.0.1; `answer` decides each response (it may be async). */
export async function startToyGateway(answer: (req: ToyRequest, index: number) => ToyAnswer | Promise<ToyAnswer>): Promise<ToyGateway> {
  const requests: ToyRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://toy');
      const r: ToyRequest = {
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        queryOrder: [...url.searchParams.keys()],
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(r);
      // A throwing handler (e.g. a failed assertion) answers 500 with the message, so the test sees it as the reason.
      void Promise.resolve()
        .then(() => answer(r, requests.length - 1))
        .catch((err: unknown): ToyAnswer => ({ status: 500, body: `toy gateway handler failed: ${err instanceof Error ? err.message : String(err)}`, contentType: 'text/plain' }))
        .then((a) => {
          if (a === 'hang') {
            hanging.add(res);
            res.on('close', () => hanging.delete(res));
            return;
          }
          res.writeHead(a.status ?? 200, { 'content-type': a.contentType ?? 'text/xml; charset=utf-8' });
          res.end(a.body);
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/wechat/main`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
