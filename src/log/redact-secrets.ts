import { hiddenContent, isContentKey, isHiddenContent } from './log-content.js';
import { REDACTED, isSecretKey, scrubSecretsInText } from './secret-keys.js';

/** How redactSecretsDeep treats what it walks. */
export interface RedactOptions {
  /** Also replace follower content (CONTENT_LOG_KEYS) by a length-only placeholder. Default false. */
  hideContent?: boolean;
}

// Deeper than any real log object or config; a bound keeps hostile input from exhausting the stack.
const MAX_DEPTH = 32;

interface Walk {
  readonly hideContent: boolean;
  readonly ancestors: Set<object>;
}

/**
 * Returns a copy of `value` with every secret replaced by `[redacted]`, at any depth: values under
 * secret-looking keys (isSecretKey), and secrets inside strings (URL credentials, secret query
 * parameters, Bearer values, Dify keys). Errors become plain objects (type, message, stack, own
 * properties, cause) redacted the same way; cycles become `[circular]`. The input is not modified.
 */
export function redactSecretsDeep(value: unknown, options: RedactOptions = {}): unknown {
  return walk(value, { hideContent: options.hideContent ?? false, ancestors: new Set() }, 0);
}

function walk(value: unknown, state: Walk, depth: number): unknown {
  if (typeof value === 'string') return scrubSecretsInText(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value;
  if (value instanceof URL) return scrubSecretsInText(value.href);
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (state.ancestors.has(value)) return '[circular]';
  state.ancestors.add(value);
  try {
    return walkObject(value, state, depth + 1);
  } finally {
    state.ancestors.delete(value);
  }
}

function walkObject(value: object, state: Walk, depth: number): unknown {
  if (Array.isArray(value)) return value.map((item) => walk(item, state, depth));
  if (value instanceof Error) return errorToPlain(value, state, depth);
  if (value instanceof Map) return walkEntries(value.entries(), state, depth);
  if (value instanceof Set) return [...value].map((item) => walk(item, state, depth));
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return walk(toJSON.call(value), state, depth);
  return walkEntries(Object.entries(value), state, depth);
}

function walkEntries(entries: Iterable<[unknown, unknown]>, state: Walk, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of entries) out[String(key)] = walkProperty(String(key), item, state, depth);
  return out;
}

function walkProperty(key: string, value: unknown, state: Walk, depth: number): unknown {
  if (isSecretKey(key)) return value === undefined || value === null || value === '' ? value : REDACTED;
  if (state.hideContent && isContentKey(key) && value !== undefined && value !== null) {
    if (typeof value !== 'string') return '[content hidden]';
    return isHiddenContent(value) ? value : hiddenContent(value);
  }
  return walk(value, state, depth);
}

function errorToPlain(error: Error, state: Walk, depth: number): Record<string, unknown> {
  const ctor = (error as { constructor?: { name?: unknown } }).constructor;
  const out: Record<string, unknown> = {
    type: typeof ctor?.name === 'string' && ctor.name !== '' ? ctor.name : error.name,
    message: scrubSecretsInText(error.message),
  };
  if (error.stack !== undefined) out.stack = scrubSecretsInText(error.stack);
  for (const [key, item] of Object.entries(error)) {
    if (key !== 'message' && key !== 'stack') out[key] = walkProperty(key, item, state, depth);
  }
  // `cause` (ES2022) and AggregateError's `errors` are own but not enumerable.
  if (error.cause !== undefined && !('cause' in out)) out.cause = walkProperty('cause', error.cause, state, depth);
  if (error instanceof AggregateError && !('errors' in out)) out.errors = walk(error.errors, state, depth);
  return out;
}
