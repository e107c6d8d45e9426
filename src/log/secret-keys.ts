/** What a secret is replaced with wherever mpgate prints or logs data. */
export const REDACTED = '[redacted]';

// Compared after lower-casing and dropping `_`, `-` and spaces, so `access_token`, `accessToken`,
// `Access-Token` and `AppSecret` all match.
const SECRET_NAMES = new Set([
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'password',
  'passwd',
  'secret',
  'signature',
  'msgsignature',
  'credential',
  'credentials',
  'apikey',
  'xapikey',
  'sessionid',
]);
const SECRET_SUFFIXES = ['token', 'secret', 'password', 'apikey', 'aeskey', 'privatekey'];

// Key names come from code and from untrusted input (headers, query strings): memoise, but bounded.
const decisions = new Map<string, boolean>();
const MAX_MEMOISED = 2000;

/**
 * Whether a property or parameter with this name holds a secret (AppSecret, tokens, EncodingAESKey,
 * passwords, API keys, authorization headers, cookies, WeChat signatures).
 */
export function isSecretKey(key: string): boolean {
  const known = decisions.get(key);
  if (known !== undefined) return known;
  const name = key.toLowerCase().replace(/[-_\s]/g, '');
  const secret = SECRET_NAMES.has(name) || SECRET_SUFFIXES.some((suffix) => name.endsWith(suffix));
  if (decisions.size < MAX_MEMOISED) decisions.set(key, secret);
  return secret;
}

const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi;
const PARAMETER = /(^|[?&;\s])([^=&#\s?;]+)=([^&#\s'"]*)/g;
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const DIFY_KEY = /\b(app|dataset)-[A-Za-z0-9]{16,}/g;

/**
 * Removes secrets that hide inside free text: URL credentials (`redis://user:pass@host`), secret
 * query parameters (`?access_token=…`, `&secret=…` — WeChat's token URL carries the AppSecret),
 * `Bearer …` / `Basic …` values and Dify API keys (`app-…`).
 */
export function scrubSecretsInText(text: string): string {
  // Cheap pre-checks: almost every logged string has none of these and is returned untouched.
  let out = text;
  if (out.includes('://')) out = out.replace(URL_CREDENTIALS, `$1${REDACTED}@`);
  if (out.includes('=')) {
    out = out.replace(PARAMETER, (whole, lead: string, name: string) =>
      isSecretKey(name) ? `${lead}${name}=${REDACTED}` : whole,
    );
  }
  if (/bearer|basic/i.test(out)) out = out.replace(AUTH_SCHEME, `$1 ${REDACTED}`);
  if (out.includes('app-') || out.includes('dataset-')) out = out.replace(DIFY_KEY, REDACTED);
  return out;
}
