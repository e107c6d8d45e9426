import { WechatXmlError } from './errors.js';
import { parseXmlTree, type XmlFields } from './xml-tree.js';

/** WeChat callbacks are a few KB at most (compatible mode ~3× plain); anything near this is hostile. */
export const DEFAULT_MAX_XML_BYTES = 65_536;

export interface XmlBodyOptions {
  /** Refuse bodies larger than this many bytes (UTF-8). Default 65536. */
  maxBytes?: number | undefined;
}

/** A body as it comes off the wire or out of decryption. */
export type XmlBody = string | Uint8Array;

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const DECLARATION = /<!(?:doctype|entity)/gi;

/**
 * Admits a body before any parsing: size cap, strict UTF-8, and no DOCTYPE/ENTITY declaration (so entity bombs
 * and XXE are refused in one regex pass, however they are nested). Text inside CDATA is the follower's own
 * words — someone pasting an HTML page — and is not a declaration.
 */
export function decodeXmlBody(body: XmlBody, options?: XmlBodyOptions): string {
  const maxBytes = options?.maxBytes ?? DEFAULT_MAX_XML_BYTES;
  let text: string;
  if (typeof body === 'string') {
    // Every UTF-16 unit is at least one UTF-8 byte, so the exact count is only needed near the limit.
    if (body.length > maxBytes || (body.length * 3 > maxBytes && Buffer.byteLength(body, 'utf8') > maxBytes)) {
      throw tooLarge(Buffer.byteLength(body, 'utf8'), maxBytes);
    }
    text = body;
  } else {
    if (body.byteLength > maxBytes) throw tooLarge(body.byteLength, maxBytes);
    try {
      text = UTF8.decode(body);
    } catch (cause) {
      throw new WechatXmlError('encoding', 'the body is not valid UTF-8', { cause });
    }
  }
  DECLARATION.lastIndex = 0;
  for (let m = DECLARATION.exec(text); m !== null; m = DECLARATION.exec(text)) {
    if (insideCdata(text, m.index)) continue;
    throw new WechatXmlError('doctype', 'DOCTYPE and ENTITY declarations are refused', { position: m.index });
  }
  return text;
}

/** True when `position` lies within a `<![CDATA[ … ]]>` section. */
function insideCdata(text: string, position: number): boolean {
  const open = text.lastIndexOf('<![CDATA[', position);
  if (open < 0) return false;
  const close = text.indexOf(']]>', open + 9);
  return close > position;
}

/** Admits and parses a WeChat document; returns the fields of its `<xml>` root. */
export function readXmlDocument(body: XmlBody, options?: XmlBodyOptions): XmlFields {
  const tree = parseXmlTree(decodeXmlBody(body, options));
  if (tree.name !== 'xml') {
    throw new WechatXmlError('root', `the root element is <${tree.name.slice(0, 40)}>, expected <xml>`);
  }
  return typeof tree.value === 'string' ? {} : tree.value;
}

function tooLarge(bytes: number, maxBytes: number): WechatXmlError {
  return new WechatXmlError('too_large', `the body is ${bytes} bytes, over the ${maxBytes}-byte limit`);
}
