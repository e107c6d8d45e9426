import { WechatXmlError } from './errors.js';

/** A parsed element: text for a leaf, a field map for an element with children, an array when repeated. */
export type XmlValue = string | XmlFields | Array<string | XmlFields>;

/** The children of an element by tag name. Text mixed with child elements (never sent by WeChat) is kept as `#text`. */
export interface XmlFields {
  [name: string]: XmlValue;
}

/** The root element of a document. */
export interface XmlTree {
  name: string;
  value: string | XmlFields;
}

/** Tags WeChat repeats; they are arrays even when they occur once, so consumers never branch on the count. */
const ALWAYS_ARRAY: ReadonlySet<string> = new Set(['item', 'fail_idx', 'List']);
/** WeChat documents nest about 5 deep; a bound keeps hostile input from costing memory. */
const MAX_DEPTH = 32;

interface Frame {
  readonly name: string;
  fields: XmlFields | undefined;
  /** The value so far: CDATA sections and trimmed text runs. */
  text: string;
  /** Raw character data not yet trimmed; comments and PIs do not end a run, CDATA and tags do. */
  pending: string;
  pendingAt: number;
  /** Source ranges of `pending` when a comment or PI split it (rare), to check each piece on its own. */
  pieces: Array<[number, number]> | undefined;
}

function frame(name: string): Frame {
  return { name, fields: undefined, text: '', pending: '', pendingAt: 0, pieces: undefined };
}

/**
 * Parses a complete XML document strictly (well-formedness per XML 1.0 for elements, attributes, character data,
 * CDATA, comments and processing instructions; the 5 predefined entities and character references are decoded).
 * DOCTYPE is not supported at all. Attributes are checked and dropped (WeChat sends none).
 * Line ends are normalised to LF. Leaf values are the concatenation of CDATA sections (verbatim) and text runs
 * trimmed of XML whitespace — the same shape fast-xml-parser gives with `trimValues`, which the fuzz test checks.
 */
export function parseXmlTree(xml: string): XmlTree {
  // XML 1.0 §2.11: a parser sees every CRLF or lone CR as LF (CDATA included).
  return new TreeParser(xml.includes('\r') ? xml.replace(/\r\n?/g, '\n') : xml).document();
}

class TreeParser {
  readonly #s: string;
  #i = 0;

  constructor(s: string) {
    this.#s = s;
  }

  document(): XmlTree {
    const s = this.#s;
    if (s.charCodeAt(0) === 0xfeff) this.#i = 1;
    this.#skipMisc(true);
    if (s.charCodeAt(this.#i) !== 0x3c /* < */) this.#fail('expected the root element');
    const tree = this.#element();
    this.#skipMisc(false);
    if (this.#i < s.length) this.#fail('unexpected content after the root element');
    return tree;
  }

  #element(): XmlTree {
    const s = this.#s;
    const root = this.#openTag();
    if (root.selfClosing) return { name: root.name, value: '' };
    const stack: Frame[] = [frame(root.name)];
    for (;;) {
      const top = stack[stack.length - 1] as Frame;
      const lt = s.indexOf('<', this.#i);
      if (lt < 0) this.#fail(`<${shown(top.name)}> is not closed`, s.length);
      if (lt > this.#i) this.#text(top, this.#i, lt);
      this.#i = lt;
      const next = s.charCodeAt(lt + 1);
      if (next === 0x2f /* / */) {
        this.#flush(top);
        this.#i = lt + 2;
        const name = this.#name();
        if (name !== top.name) this.#fail(`</${shown(name)}> does not close <${shown(top.name)}>`, lt);
        this.#skipSpace();
        this.#expect(0x3e /* > */, '>');
        stack.pop();
        const value = top.fields === undefined ? top.text : withText(top.fields, top.text);
        const parent = stack[stack.length - 1];
        if (parent === undefined) return { name, value };
        addChild(parent, name, value);
      } else if (next === 0x21 /* ! */) {
        if (s.startsWith('<![CDATA[', lt)) {
          this.#flush(top);
          const end = s.indexOf(']]>', lt + 9);
          if (end < 0) this.#fail('unterminated CDATA section', lt);
          top.text += s.slice(lt + 9, end);
          this.#i = end + 3;
        } else if (s.startsWith('<!--', lt)) {
          this.#comment();
        } else {
          this.#fail('unsupported markup declaration', lt);
        }
      } else if (next === 0x3f /* ? */) {
        this.#processingInstruction(false);
      } else {
        this.#flush(top);
        const child = this.#openTag();
        if (child.selfClosing) {
          addChild(top, child.name, '');
        } else {
          if (stack.length >= MAX_DEPTH) {
            throw new WechatXmlError('too_deep', `elements nest deeper than ${MAX_DEPTH} levels`, { position: lt });
          }
          stack.push(frame(child.name));
        }
      }
    }
  }

  /** Reads `<name attr="v" ...>` or `<name/>` at the current `<`. */
  #openTag(): { name: string; selfClosing: boolean } {
    const s = this.#s;
    this.#i++;
    const name = this.#name();
    let seen: string[] | undefined;
    for (;;) {
      const spaced = this.#skipSpace();
      const c = s.charCodeAt(this.#i);
      if (c === 0x3e /* > */) {
        this.#i++;
        return { name, selfClosing: false };
      }
      if (c === 0x2f /* / */) {
        this.#i++;
        this.#expect(0x3e, '>');
        return { name, selfClosing: true };
      }
      if (!spaced) this.#fail(`expected whitespace, ">" or "/>" in <${shown(name)}>`);
      const attribute = this.#name();
      if (seen?.includes(attribute)) this.#fail(`duplicate attribute ${shown(attribute)} in <${shown(name)}>`);
      (seen ??= []).push(attribute);
      this.#skipSpace();
      this.#expect(0x3d /* = */, '=');
      this.#skipSpace();
      const quote = s.charCodeAt(this.#i);
      if (quote !== 0x22 && quote !== 0x27) this.#fail(`attribute ${shown(attribute)} needs a quoted value`);
      const start = this.#i + 1;
      const end = s.indexOf(quote === 0x22 ? '"' : "'", start);
      if (end < 0) this.#fail(`unterminated value of attribute ${shown(attribute)}`);
      const value = s.slice(start, end);
      if (value.includes('<')) this.#fail(`"<" in the value of attribute ${shown(attribute)}`, start);
      decodeReferences(value, start);
      this.#i = end + 1;
    }
  }

  /** Collects raw character data up to the next CDATA section or tag. */
  #text(frame: Frame, from: number, to: number): void {
    const raw = this.#s.slice(from, to);
    if (frame.pending === '') {
      frame.pending = raw;
      frame.pendingAt = from;
    } else {
      (frame.pieces ??= [[frame.pendingAt, frame.pendingAt + frame.pending.length]]).push([from, to]);
      frame.pending += raw;
    }
  }

  /** Ends a text run: trims XML whitespace, checks it, decodes references and appends it to the value. */
  #flush(frame: Frame): void {
    const run = frame.pending;
    if (run === '') return;
    const pieces = frame.pieces;
    frame.pending = '';
    frame.pieces = undefined;
    if (pieces !== undefined) {
      // References and "]]>" must be whole within each piece; a comment cannot join them.
      for (const [from, to] of pieces) checkCharacterData(this.#s.slice(from, to), from);
    }
    let a = 0;
    let b = run.length;
    while (a < b && isSpace(run.charCodeAt(a))) a++;
    while (b > a && isSpace(run.charCodeAt(b - 1))) b--;
    if (a === b) return;
    const trimmed = a === 0 && b === run.length ? run : run.slice(a, b);
    const offset = pieces === undefined ? frame.pendingAt + a : frame.pendingAt;
    if (pieces === undefined) checkNoCdataEnd(trimmed, offset);
    frame.text += trimmed.includes('&') ? decodeReferences(trimmed, offset) : trimmed;
  }

  #name(): string {
    const s = this.#s;
    const start = this.#i;
    if (!isNameStart(s.charCodeAt(start))) this.#fail('expected a name');
    let i = start + 1;
    while (isNameChar(s.charCodeAt(i))) i++;
    this.#i = i;
    const name = s.slice(start, i);
    if (name === '__proto__') this.#fail('the name __proto__ is not accepted', start);
    return name;
  }

  /** Skips whitespace, comments and processing instructions outside the root element. */
  #skipMisc(prolog: boolean): void {
    const s = this.#s;
    let declarationAllowed = prolog;
    for (;;) {
      this.#skipSpace();
      if (s.startsWith('<?', this.#i)) {
        this.#processingInstruction(declarationAllowed);
      } else if (s.startsWith('<!--', this.#i)) {
        this.#comment();
      } else {
        return;
      }
      declarationAllowed = false;
    }
  }

  #processingInstruction(declarationAllowed: boolean): void {
    const start = this.#i;
    this.#i += 2;
    const target = this.#name();
    if (target.toLowerCase() === 'xml' && !declarationAllowed) {
      this.#fail('the XML declaration must come first', start);
    }
    const end = this.#s.indexOf('?>', this.#i);
    if (end < 0) this.#fail('unterminated processing instruction', start);
    const c = this.#s.charCodeAt(this.#i);
    if (end !== this.#i && !isSpace(c)) this.#fail('malformed processing instruction', start);
    this.#i = end + 2;
  }

  #comment(): void {
    const start = this.#i;
    const end = this.#s.indexOf('-->', start + 4);
    if (end < 0) this.#fail('unterminated comment', start);
    if (this.#s.indexOf('--', start + 4) !== end) this.#fail('"--" inside a comment', start);
    this.#i = end + 3;
  }

  /** Skips XML whitespace; tells whether there was any. */
  #skipSpace(): boolean {
    const s = this.#s;
    const start = this.#i;
    while (isSpace(s.charCodeAt(this.#i))) this.#i++;
    return this.#i > start;
  }

  #expect(code: number, what: string): void {
    if (this.#s.charCodeAt(this.#i) !== code) this.#fail(`expected "${what}"`);
    this.#i++;
  }

  #fail(message: string, position: number = this.#i): never {
    throw new WechatXmlError('malformed', `malformed XML: ${message}`, { position });
  }
}

function checkNoCdataEnd(run: string, offset: number): void {
  const bad = run.indexOf(']]>');
  if (bad >= 0) {
    throw new WechatXmlError('malformed', 'malformed XML: "]]>" is not allowed in character data', {
      position: offset + bad,
    });
  }
}

function checkCharacterData(run: string, offset: number): void {
  checkNoCdataEnd(run, offset);
  if (run.includes('&')) decodeReferences(run, offset);
}

/** Names come from the input: keep messages (and logs) short whatever was sent. */
function shown(name: string): string {
  return name.length > 40 ? `${name.slice(0, 40)}…` : name;
}

function addChild(frame: Frame, name: string, value: string | XmlFields): void {
  const fields = (frame.fields ??= {});
  if (Object.hasOwn(fields, name)) {
    const previous = fields[name] as XmlValue;
    if (Array.isArray(previous)) previous.push(value);
    else fields[name] = [previous, value];
  } else {
    fields[name] = ALWAYS_ARRAY.has(name) ? [value] : value;
  }
}

function withText(fields: XmlFields, text: string): XmlFields {
  if (text !== '') fields['#text'] = text;
  return fields;
}

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };
const CHAR_REFERENCE = /^#(?:[0-9]{1,7}|x[0-9A-Fa-f]{1,6})$/;

/** Decodes the 5 predefined entities and character references; anything else (a DTD entity, a bare &) is refused. */
function decodeReferences(run: string, offset: number): string {
  let out = '';
  let last = 0;
  let amp = run.indexOf('&');
  while (amp >= 0) {
    const semi = run.indexOf(';', amp + 1);
    const ref = semi < 0 ? '' : run.slice(amp + 1, semi);
    let decoded = Object.hasOwn(PREDEFINED, ref) ? PREDEFINED[ref] : undefined;
    if (decoded === undefined && CHAR_REFERENCE.test(ref)) {
      const code = ref.charCodeAt(1) === 0x78 /* x */ ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (isXmlChar(code)) decoded = String.fromCodePoint(code);
    }
    if (decoded === undefined) {
      const shown = semi < 0 || semi - amp > 12 ? '&' : `&${ref};`;
      throw new WechatXmlError('malformed', `malformed XML: undefined or invalid reference ${shown}`, {
        position: offset + amp,
      });
    }
    out += run.slice(last, amp) + decoded;
    last = semi + 1;
    amp = run.indexOf('&', last);
  }
  return out + run.slice(last);
}

function isXmlChar(c: number): boolean {
  return (
    c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) ||
    (c >= 0x10000 && c <= 0x10ffff)
  );
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

/** XML 1.0 NameStartChar; astral characters are accepted through their surrogate halves. */
function isNameStart(c: number): boolean {
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a;
  return (
    (c >= 0xc0 && c <= 0xd6) || (c >= 0xd8 && c <= 0xf6) || (c >= 0xf8 && c <= 0x2ff) || (c >= 0x370 && c <= 0x37d) ||
    (c >= 0x37f && c <= 0x1fff) || c === 0x200c || c === 0x200d || (c >= 0x2070 && c <= 0x218f) ||
    (c >= 0x2c00 && c <= 0x2fef) || (c >= 0x3001 && c <= 0xdfff) || (c >= 0xf900 && c <= 0xfdcf) ||
    (c >= 0xfdf0 && c <= 0xfffd)
  );
}

function isNameChar(c: number): boolean {
  if (c < 0x80) {
    return (
      (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x3a ||
      c === 0x2d || c === 0x2e
    );
  }
  return isNameStart(c) || c === 0xb7 || (c >= 0x300 && c <= 0x36f) || c === 0x203f || c === 0x2040;
}
