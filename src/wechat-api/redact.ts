/**
 * The access token travels in the query string (`?access_token=`), and `/cgi-bin/token` takes the AppSecret
 * there too. Anything that may end up in an error, a log line or a `cause` goes through these first.
 */

const SECRET_PARAMS = ['access_token', 'secret', 'appsecret'];

/** Replace every occurrence of each secret in `text` with `***` (empty secrets are ignored). */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret) out = out.split(secret).join('***');
  }
  return out;
}

/** A URL safe to show: the values of access_token/secret/appsecret query parameters replaced by `***`. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.replace(/((?:access_token|secret|appsecret)=)[^&#\s]*/gi, '$1***');
  }
  for (const name of [...parsed.searchParams.keys()]) {
    if (SECRET_PARAMS.includes(name.toLowerCase())) parsed.searchParams.set(name, '***');
  }
  return parsed.toString();
}

/**
 * A copy of a thrown value that is safe to attach as `cause`: same name, code and message (and the same for
 * its own cause, one level down), with the secrets removed. The original is dropped because undici and
 * Node errors may carry the request URL.
 */
export function redactedCause(error: unknown, secrets: readonly (string | undefined)[], depth = 0): Error {
  const source = error instanceof Error ? error : new Error(String(error));
  const copy = new Error(redactSecrets(source.message, secrets));
  copy.name = source.name;
  const code = (source as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') (copy as Error & { code?: unknown }).code = code;
  copy.stack = `${copy.name}: ${copy.message}`;
  if (source.cause !== undefined && depth < 2) {
    (copy as Error & { cause?: unknown }).cause = redactedCause(source.cause, secrets, depth + 1);
  }
  return copy;
}
