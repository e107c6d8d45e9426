import { z } from 'zod';

// YAML numbers are read as text (so a Token like 0123 keeps its leading zero) and `${ENV}` values are
// text too; the field types below accept the text forms of numbers and booleans.

const DIGITS = /^\s*-?\d+\s*$/;

/** A whole number in [min, max]; "8080" is accepted as 8080. */
export function wholeNumber(min: number, max: number) {
  return z.preprocess(
    (value) => (typeof value === 'string' && DIGITS.test(value) ? Number(value) : value),
    z
      .number()
      .int({ error: 'must be a whole number' })
      .min(min, { error: `must be at least ${min}` })
      .max(max, { error: `must be at most ${max}` }),
  );
}

/** `true` or `false`; the strings "true" and "false" are accepted. */
export function trueOrFalse() {
  return z.preprocess(
    (value) => (value === 'true' ? true : value === 'false' ? false : value),
    z.boolean({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be true or false') }),
  );
}

/** Text with no surrounding white space. */
export function text(options: { min?: number; max?: number } = {}) {
  let schema = z.string().trim();
  const min = options.min ?? 1;
  schema = schema.min(min, { error: min === 1 ? 'must not be empty' : `must be at least ${min} characters` });
  if (options.max !== undefined) schema = schema.max(options.max, { error: `must be at most ${options.max} characters` });
  return schema;
}

/** An optional field where an empty value (`key: ""`, or `${VAR:-}` with VAR unset) means "not set". */
export function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === '' ? undefined : value), schema.optional());
}

/** An http(s) URL; a trailing `/` is dropped so paths can be appended. */
export function httpUrl(what: string) {
  return z
    .string()
    .trim()
    .refine((value) => isHttpUrl(value), { error: `must be an http:// or https:// URL (${what})` })
    .transform((value) => value.replace(/\/+$/, ''));
}

function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
}

/** One of a fixed list of words; the message lists them. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, {
    error: (issue) =>
      issue.input === undefined
        ? `is required (one of ${values.join(', ')})`
        : `must be one of ${values.join(', ')}${typeof issue.input === 'string' ? ` (got ${JSON.stringify(issue.input)})` : ''}`,
  });
}
