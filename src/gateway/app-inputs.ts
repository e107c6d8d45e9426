/**
 * Fits the inputs mpgate has to the inputs an app declares, so that a call never fails on them: undeclared names
 * are left out, text is cut to `max_length` (Dify counts characters, and refuses `len > max_length`), a `select`
 * only gets one of its options, a `number` only a number; a required variable mpgate has no value for gets its
 * default, or an empty text (Dify's required check only refuses a missing value). Pure: no I/O.
 */
import type { DeclaredInput } from './app-features.js';

/** A value mpgate may send. */
export type InputValue = string | number | boolean;

/** The inputs to send, and what was changed to make them fit (variable names only, never values). */
export interface FittedInputs {
  inputs: Record<string, InputValue>;
  /** Cut to the variable's max_length. */
  truncated: string[];
  /** Given, but unusable for the variable's type (not an option, not a number…). */
  refused: string[];
  /** Required and missing: filled with the default or an empty value. */
  filled: string[];
}

const TEXT_TYPES = new Set(['text-input', 'paragraph', 'string']);

/** Cuts text to `max` characters (code points, as Python's len counts them). */
function cut(text: string, max: number | undefined): string {
  if (max === undefined) return text;
  const points = Array.from(text);
  return points.length > max ? points.slice(0, max).join('') : text;
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : undefined;
  if (typeof value !== 'string') return undefined;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return undefined;
}

/** The value a declared variable can take from `value`, or undefined when it cannot take it. */
function fit(input: DeclaredInput, value: unknown): InputValue | undefined {
  if (value === undefined || value === null) return undefined;
  if (TEXT_TYPES.has(input.type)) return typeof value === 'object' ? undefined : cut(String(value), input.maxLength);
  switch (input.type) {
    case 'select': {
      const text = typeof value === 'object' ? undefined : String(value);
      return text !== undefined && (input.options ?? []).includes(text) ? text : undefined;
    }
    case 'number':
      return asNumber(value);
    case 'checkbox':
      return asBoolean(value);
    default:
      // file, file-list, json_object, external_data_tool: nothing mpgate has fits them.
      return undefined;
  }
}

/** A value for a required variable mpgate has nothing for, or undefined when none can be made up. */
function fallback(input: DeclaredInput): InputValue | undefined {
  const fromDefault = fit(input, input.default);
  if (fromDefault !== undefined) return fromDefault;
  if (TEXT_TYPES.has(input.type)) return '';
  if (input.type === 'select') return input.options?.[0];
  if (input.type === 'checkbox') return false;
  return undefined;
}

/** Fits `values` to the declared inputs (see the file comment). */
export function fitInputs(declared: readonly DeclaredInput[], values: Readonly<Record<string, unknown>>): FittedInputs {
  const result: FittedInputs = { inputs: {}, truncated: [], refused: [], filled: [] };
  for (const input of declared) {
    const given = Object.hasOwn(values, input.variable) ? values[input.variable] : undefined;
    let value = fit(input, given);
    if (given !== undefined && given !== null && value === undefined) result.refused.push(input.variable);
    if (typeof value === 'string' && typeof given === 'string' && value.length < given.length) result.truncated.push(input.variable);
    if (value === undefined && input.required) {
      value = fallback(input);
      if (value !== undefined) result.filled.push(input.variable);
    }
    if (value !== undefined) result.inputs[input.variable] = value;
  }
  return result;
}
