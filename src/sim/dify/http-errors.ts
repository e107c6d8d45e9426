/**
 * Dify's error answers. Every JSON error is `{code, message, status}` (plus `params` on some 400s), rendered by
 * flask-restx: Python `json.dumps` followed by a newline (reference §9, §12).
 */

/** werkzeug's default descriptions, which Dify passes through for bare HTTP exceptions. */
export const WERKZEUG_MESSAGES = {
  badRequest: 'The browser (or proxy) sent a request that this server could not understand.',
  unauthorized:
    "The server could not verify that you are authorized to access the URL requested. You either supplied the wrong credentials (e.g. a bad password), or your browser doesn't understand how to supply the credentials required.",
  forbidden: "You don't have the permission to access the requested resource. It is either read-protected or not readable by the server.",
  notFound: 'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.',
  methodNotAllowed: 'The method is not allowed for the requested URL.',
  requestEntityTooLarge: 'The data value transmitted exceeds the capacity limit.',
  internalServerError:
    'The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.',
} as const;

/** An error the simulator answers with, in Dify's shape. */
export class DifyHttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly params: string | undefined;
  /** Extra response headers (e.g. `WWW-Authenticate`). */
  readonly headers: Record<string, string>;
  /** A body that is not the standard envelope (login manager's `{code,message}`, refresh's `{result,message}`). */
  readonly body: unknown;
  /** false = do not append flask-restx's "did you mean" help to a 404. */
  readonly routeHelp: boolean;
  constructor(
    status: number,
    code: string,
    message: string,
    extra: { params?: string; headers?: Record<string, string>; body?: unknown; routeHelp?: boolean } = {},
  ) {
    super(message);
    this.name = 'DifyHttpError';
    this.status = status;
    this.code = code;
    this.params = extra.params;
    this.headers = extra.headers ?? {};
    this.body = extra.body;
    this.routeHelp = extra.routeHelp ?? true;
  }

  /** The JSON body Dify sends for this error. */
  toBody(message = this.message): unknown {
    if (this.body !== undefined) return this.body;
    return this.params === undefined
      ? { code: this.code, message, status: this.status }
      : { code: this.code, message, params: this.params, status: this.status };
  }
}

/** 400 `invalid_param` — what any ValueError (pydantic included) becomes. */
export function invalidParam(message: string): DifyHttpError {
  return new DifyHttpError(400, 'invalid_param', message);
}

/** 404 `not_found` with a message (flask-restx adds the route help when the reply is written). */
export function notFound(message: string = WERKZEUG_MESSAGES.notFound): DifyHttpError {
  return new DifyHttpError(404, 'not_found', message);
}

/** 500 `internal_server_error` with werkzeug's text. */
export function internalServerError(): DifyHttpError {
  return new DifyHttpError(500, 'internal_server_error', WERKZEUG_MESSAGES.internalServerError);
}

/** The message of the conversation lookup failure (before the route help is appended). */
export const CONVERSATION_NOT_EXISTS = 'Conversation Not Exists.';
