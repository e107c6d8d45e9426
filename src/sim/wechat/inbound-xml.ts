import { cdata } from '../../wechat/index.js';

/** A number-like value written bare, as WeChat writes MsgId (a 64-bit integer kept as a string). */
export interface Bare {
  readonly bare: string;
}

/** One element: strings become CDATA, numbers and {@link Bare} values bare text, arrays nested elements. */
export type XmlField = readonly [name: string, value: string | number | Bare | readonly XmlField[]];

/** Renders elements the way WeChat writes callback XML: CDATA strings, bare numbers, no whitespace. */
export function renderFields(fields: readonly XmlField[]): string {
  return fields
    .map(([name, value]) => {
      const inner =
        typeof value === 'string' ? cdata(value) : typeof value === 'number' ? String(value) : Array.isArray(value) ? renderFields(value) : (value as Bare).bare;
      return `<${name}>${inner}</${name}>`;
    })
    .join('');
}

/** `<xml>…</xml>` around the fields. */
export function inboundXml(fields: readonly XmlField[]): string {
  return `<xml>${renderFields(fields)}</xml>`;
}
