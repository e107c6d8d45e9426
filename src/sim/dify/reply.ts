import type { FastifyReply, FastifyRequest } from 'fastify';
import { withNotFoundHelp } from './close-matches.js';
import { DifyHttpError } from './http-errors.js';
import { pythonJsonDumps } from './python-json.js';

/** Writing answers the way Dify's Flask stack does. */

/** A flask-restx JSON answer: Python `json.dumps` plus a newline. */
export function sendRestx(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).header('Content-Type', 'application/json').send(`${pythonJsonDumps(body)}\n`);
}

/** A blocking generation answer (`compact_generate_response`: `json.dumps`, no newline). */
export function sendGenerateJson(reply: FastifyReply, body: unknown): FastifyReply {
  return reply.code(200).header('Content-Type', 'application/json; charset=utf-8').send(pythonJsonDumps(body));
}

/** A JSON body Dify writes outside the error handler (login manager, refresh): `json.dumps`, no newline. */
export function sendPlainJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).header('Content-Type', 'application/json').send(pythonJsonDumps(body));
}

/** Answers with a Dify error; 404s get flask-restx's "did you mean" help computed against `rules`. */
export function sendDifyError(req: FastifyRequest, reply: FastifyReply, err: DifyHttpError, rules: readonly string[]): FastifyReply {
  for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
  // flask-restx's handler adds the challenge to every 401 it renders.
  if (err.status === 401 && err.body === undefined) reply.header('WWW-Authenticate', 'Bearer realm="api"');
  const path = req.url.split('?')[0] ?? req.url;
  const message = err.status === 404 && err.routeHelp ? withNotFoundHelp(err.message, path, rules) : err.message;
  const body = err.toBody(message);
  if (err.body !== undefined) return sendPlainJson(reply, err.status, body);
  return sendRestx(reply, err.status, body);
}

/** What a reverse proxy answers when the API behind it is down (not JSON). */
export function sendBadGateway(reply: FastifyReply): FastifyReply {
  const html = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
  return reply.code(502).header('Content-Type', 'text/html').send(html);
}

/** True when the value is a DifyHttpError. */
export function isDifyHttpError(e: unknown): e is DifyHttpError {
  return e instanceof DifyHttpError;
}
