import type { InputVariable } from './app-config.js';
import { internalServerError, invalidParam } from './http-errors.js';

/**
 * Dify's input rules (`BaseAppGenerator._prepare_user_inputs`, reference §10): only declared variables are kept,
 * a missing (absent or null) required one is a 400, types and `max_length` are checked, NUL characters removed.
 */

function pyListRepr(items: readonly string[]): string {
  return `[${items.map((s) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(', ')}]`;
}

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function stripNul(v: unknown): unknown {
  return typeof v === 'string' ? v.replace(/\0/g, '') : v;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

/** Validates one value; returns the cleaned value. */
function validateOne(v: InputVariable, value: unknown, useDefaults: boolean): unknown {
  if (value === undefined || value === null) {
    if (v.required) throw invalidParam(`${v.variable} is required in input form`);
    return useDefaults && v.default !== undefined && v.default !== '' ? v.default : null;
  }
  if ((v.type === 'text-input' || v.type === 'select' || v.type === 'paragraph') && typeof value !== 'string') {
    throw invalidParam(`(type '${v.type}') ${v.variable} in input form must be a string`);
  }
  switch (v.type) {
    case 'number': {
      if (typeof value === 'number') return value;
      if (typeof value !== 'string') {
        // A bool, list or dict raises TypeError in Dify, which is not a ValueError: the endpoint answers 500.
        throw internalServerError();
      }
      const s = value.trim();
      if (!s) return null;
      const n = s.includes('.') ? Number(s) : /^[+-]?\d+$/.test(s) ? Number.parseInt(s, 10) : Number.NaN;
      if (!Number.isFinite(n)) throw invalidParam(`${v.variable} in input form must be a valid number`);
      return n;
    }
    case 'checkbox': {
      if (typeof value === 'boolean') return value;
      if (value === 1 || value === 0) return value === 1;
      if (typeof value === 'string') {
        const w = value.trim().toLowerCase();
        if (TRUE_WORDS.has(w)) return true;
        if (FALSE_WORDS.has(w)) return false;
      }
      if (isPlainObject(value)) throw invalidParam(`Invalid input type for ${v.variable}`);
      return value;
    }
    case 'select': {
      const options = v.options ?? [];
      if (!options.includes(value as string)) throw invalidParam(`${v.variable} in input form must be one of the following: ${pyListRepr(options)}`);
      return value;
    }
    case 'text-input':
    case 'paragraph':
      if (v.max_length && codePoints(value as string) > v.max_length) {
        throw invalidParam(`${v.variable} in input form must be less than ${v.max_length} characters`);
      }
      return value;
    case 'file':
      if (!isPlainObject(value)) throw invalidParam(`${v.variable} in input form must be a file`);
      return value;
    case 'file-list':
      if (!Array.isArray(value) || !value.every(isPlainObject)) throw invalidParam(`${v.variable} in input form must be a list of files`);
      if (v.max_length && value.length > v.max_length) throw invalidParam(`${v.variable} in input form must be less than ${v.max_length} files`);
      return value;
    case 'json_object':
      if (!isPlainObject(value)) throw invalidParam(`${v.variable} in input form must be a JSON object`);
      return value;
    default:
      return value;
  }
}

/**
 * The cleaned inputs: declared variables only. `useDefaults` = workflow/chatflow (a missing optional variable takes
 * its default); chat, agent and completion apps get null. Throws `DifyHttpError` (400 invalid_param, or 500).
 */
export function prepareUserInputs(variables: readonly InputVariable[], given: Record<string, unknown>, useDefaults: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const v of variables) {
    if (v.type === 'external_data_tool') continue;
    out[v.variable] = stripNul(validateOne(v, given[v.variable], useDefaults));
  }
  return out;
}
