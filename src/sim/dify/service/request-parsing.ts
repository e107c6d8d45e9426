import type { FastifyRequest } from 'fastify';
import { DifyHttpError, invalidParam } from '../http-errors.js';

/** Reading requests with Flask's semantics (reference §1 "Order of checks"). */

const NOT_JSON_MESSAGE = "Did not attempt to load JSON data because the request Content-Type was not 'application/json'.";

/** True for `application/json` and `application/*+json` (Flask's `is_json`). */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const mime = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return mime === 'application/json' || (mime.startsWith('application/') && mime.endsWith('+json'));
}

/** The raw body as the catch-all parser stored it. */
export function rawBody(req: FastifyRequest): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}

/** `request.get_json()`: 415 for a non-JSON Content-Type, 400 for an empty or broken body. */
export function readJsonBody(req: FastifyRequest): Record<string, unknown> {
  if (!isJsonContentType(req.headers['content-type'])) throw new DifyHttpError(415, 'unsupported_media_type', NOT_JSON_MESSAGE);
  const text = rawBody(req).toString('utf8');
  if (text.trim() === '') throw new DifyHttpError(400, 'bad_request', 'Invalid JSON payload received or JSON payload is empty.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new DifyHttpError(400, 'bad_request', `Failed to decode JSON object: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new DifyHttpError(400, 'bad_request', 'Failed to decode JSON object: the payload must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/** `user` from a JSON body: required → 400 "Arg user must be provided."; optional → DEFAULT-USER. */
export function userFromBody(body: Record<string, unknown>, required: boolean): string {
  const u = body.user;
  const user = typeof u === 'string' ? u : u === undefined || u === null ? '' : String(u);
  if (!user) {
    if (required) throw invalidParam('Arg user must be provided.');
    return 'DEFAULT-USER';
  }
  return user;
}

/** A query-string parameter (first value). */
export function queryParam(req: FastifyRequest, name: string): string | undefined {
  const q = req.query as Record<string, string | string[] | undefined>;
  const v = q[name];
  return Array.isArray(v) ? v[0] : v;
}

/** `user` from the query string (optional everywhere it is read from there). */
export function userFromQuery(req: FastifyRequest): string {
  return queryParam(req, 'user') || 'DEFAULT-USER';
}

const UUID_RE = /^(?:urn:uuid:)?\{?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?$/i;

/** Whether Python's `uuid.UUID()` would accept the string. */
export function isUuid(s: string): boolean {
  return UUID_RE.test(s.trim());
}

/** Python's canonical form of a UUID string. */
export function canonicalUuid(s: string): string {
  const hex = s.trim().replace(/^urn:uuid:/i, '').replace(/[{}-]/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
