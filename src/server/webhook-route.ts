import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { parse as parseQueryString } from 'node:querystring';
import type { Logger } from 'pino';
import type { Webhook, WebhookResponse } from '../gateway/webhook.js';

/** A `node:http` request listener. */
export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

export interface WebhookRouteOptions {
  webhook: Pick<Webhook, 'handle'>;
  logger: Logger;
  /** Larger bodies get 413, judged from Content-Length before reading, else while reading. */
  maxBodyBytes: number;
  /** A held request's socket is destroyed after this long, unless the client hung up first. */
  holdCapMs: number;
  /** Serves every request this route does not take (fastify's handler). */
  fallback: RequestListener;
  /** True once the server stopped listening. */
  draining: () => boolean;
}

const PREFIX = '/wechat/';
const ABSOLUTE_FORM = /^https?:\/\/.*?\//;
const ALLOW = { allow: 'GET, POST' };
// The client may still be sending: close the connection rather than read the rest (as fastify did).
const CLOSE = { connection: 'close' };

/** Where an account's path points: the account id (decoded) and the raw query string. */
interface WebhookTarget {
  accountId: string;
  query: string;
}

/** A listener serving `GET|POST /wechat/<accountId>` itself and passing every other request to `fallback`. */
export function webhookRoute(options: WebhookRouteOptions): RequestListener {
  // The webhook is the hot path: it skips fastify's routing, hooks and reply machinery.
  return (req, res) => {
    // While draining, fastify answers 503 with `Connection: close`, for this path as for any other.
    const target = options.draining() ? undefined : webhookTarget(req.url ?? '');
    if (target === undefined) options.fallback(req, res);
    else void serve(options, req, res, target);
  };
}

/**
 * Matches the path the way fastify's router did: it ends at `?` or `#`, the account id is exactly one segment
 * (possibly empty), percent-decoded. A malformed escape yields undefined, so fastify answers its usual 400.
 */
function webhookTarget(url: string): WebhookTarget | undefined {
  if (url.charCodeAt(0) !== 47 /* '/' */) url = url.replace(ABSOLUTE_FORM, '/'); // `GET http://host/path`
  if (!url.startsWith(PREFIX)) return undefined;
  let end = url.indexOf('?', PREFIX.length);
  const hash = url.indexOf('#', PREFIX.length);
  if (hash !== -1 && (end === -1 || hash < end)) end = hash;
  const segment = end === -1 ? url.slice(PREFIX.length) : url.slice(PREFIX.length, end);
  if (segment.includes('/')) return undefined;
  let accountId = segment;
  if (segment.includes('%')) {
    try {
      accountId = decodeURIComponent(segment);
    } catch {
      return undefined;
    }
  }
  return { accountId, query: end === -1 ? '' : url.slice(end + 1) };
}

/** Answers one webhook request, exactly as the fastify route did (see the options for 413 and holds). */
async function serve(o: WebhookRouteOptions, req: IncomingMessage, res: ServerResponse, target: WebhookTarget): Promise<void> {
  const method = req.method;
  if (method !== 'GET' && method !== 'POST') return send(res, 405, 'text/plain', 'method not allowed', ALLOW);

  // One listener: tells the webhook's work the client hung up, and ends a hold's timer. A plain flag instead
  // of an AbortController: the engine reads it at each wake-up, and the hot path creates no event target.
  const hangup = { aborted: false };
  let closed = false;
  let holdTimer: NodeJS.Timeout | undefined;
  res.once('close', () => {
    closed = true;
    if (!res.writableFinished) hangup.aborted = true;
    if (holdTimer !== undefined) clearTimeout(holdTimer);
  });

  let body: Buffer | undefined;
  if (method === 'POST' && hasBody(req)) {
    if (Number(req.headers['content-length']) > o.maxBodyBytes) return send(res, 413, 'text/plain', 'body too large', CLOSE);
    const read = await readBody(req, o.maxBodyBytes);
    if (read === 'too large') return send(res, 413, 'text/plain', 'body too large', CLOSE);
    if (read === 'lost') {
      res.destroy(); // the client hung up mid-body
      return;
    }
    body = read;
  }

  let result: WebhookResponse;
  try {
    result = await o.webhook.handle({ method, accountId: target.accountId, query: queryOf(target.query), body, signal: hangup });
  } catch (err) {
    o.logger.error({ err }, 'request failed');
    return send(res, 500, 'text/plain', 'internal error');
  }
  if (result.status === 'hold') {
    // Answer nothing (WeChat will deliver again); the cap only frees sockets of clients that never hang up.
    if (!closed) holdTimer = setTimeout(() => res.destroy(), o.holdCapMs);
    return;
  }
  send(res, result.status, result.contentType, result.body);
}

/** Whether the request has a body by HTTP framing (fastify passed no body otherwise). */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Reads the body, keeping at most `max` bytes: past that it stops collecting and lets the rest go. */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | 'too large' | 'lost'> {
  // Settling twice is a no-op, so the listeners stay on (this runs per request: no bookkeeping to remove them).
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (size > max) return;
      size += chunk.length;
      if (size > max) resolve('too large');
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (size <= max) resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    });
    req.on('error', () => resolve('lost'));
  });
}

/** The query as the webhook takes it: a repeated key counts with its first value. */
function queryOf(query: string): Record<string, string | undefined> {
  const parsed = parseQueryString(query);
  for (const key in parsed) {
    const value = parsed[key];
    if (Array.isArray(value)) parsed[key] = value[0];
  }
  return parsed as Record<string, string | undefined>;
}

/** Status, headers and body in one write: the content-length is known, so Node sends them in one syscall. */
function send(res: ServerResponse, status: number, contentType: string, body: string, extra?: OutgoingHttpHeaders): void {
  const headers: OutgoingHttpHeaders = { 'content-type': contentType, 'content-length': Buffer.byteLength(body) };
  if (extra) Object.assign(headers, extra);
  res.writeHead(status, headers);
  res.end(body);
}
