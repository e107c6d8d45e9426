import { WechatXmlError } from './errors.js';
import type { XmlFields, XmlValue } from './xml-tree.js';

/** Reading typed values out of a parsed field map; tolerant by design (WeChat adds and drops fields over time). */

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)$/;
const UNSIGNED = /^\d{1,15}$/;

function valueOf(fields: XmlFields | undefined, name: string): XmlValue | undefined {
  return fields !== undefined && Object.hasOwn(fields, name) ? fields[name] : undefined;
}

/** The text of a leaf field (the first one if repeated); undefined if absent or not a leaf. */
export function textOf(fields: XmlFields | undefined, name: string): string | undefined {
  const value = valueOf(fields, name);
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

/** The text of a leaf field, or '' when absent. */
export function stringOf(fields: XmlFields | undefined, name: string): string {
  return textOf(fields, name) ?? '';
}

/** A decimal number field (coordinates, counts); undefined if absent, empty or not a number. */
export function numberOf(fields: XmlFields | undefined, name: string): number | undefined {
  return parseDecimal(textOf(fields, name));
}

/** Parses a decimal string strictly (no hex, exponents or blanks inside), ignoring surrounding whitespace. */
export function parseDecimal(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  return DECIMAL.test(trimmed) ? Number(trimmed) : undefined;
}

/** The child element holding nested fields (the first one if repeated). */
export function childOf(fields: XmlFields | undefined, name: string): XmlFields | undefined {
  const value = valueOf(fields, name);
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'object' ? first : undefined;
}

/** Every occurrence of a field, as an array whether it occurred once or many times. */
export function listOf(fields: XmlFields | undefined, name: string): Array<string | XmlFields> {
  const value = valueOf(fields, name);
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Every occurrence of a field that has nested fields. */
export function recordsOf(fields: XmlFields | undefined, name: string): XmlFields[] {
  return listOf(fields, name).filter((v): v is XmlFields => typeof v === 'object');
}

/** A field the document cannot do without. */
export function requiredText(fields: XmlFields, name: string): string {
  const text = textOf(fields, name);
  if (text === undefined) throw new WechatXmlError('missing_field', `<${name}> is missing`);
  return text;
}

/** A required unsigned integer field such as CreateTime (kept well inside the safe-integer range). */
export function requiredUnsigned(fields: XmlFields, name: string): number {
  const text = requiredText(fields, name).trim();
  if (!UNSIGNED.test(text)) {
    const got = JSON.stringify(text.slice(0, 32));
    throw new WechatXmlError('invalid_field', `<${name}> must be an unsigned integer, got ${got}`);
  }
  return Number(text);
}
