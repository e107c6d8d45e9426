/**
 * Characters XML 1.0 cannot carry at all, not even in CDATA:
 * C0 controls except tab/LF/CR, U+FFFE/U+FFFF, lone surrogates.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NOT_XML = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const NOT_XML_ALL = new RegExp(NOT_XML.source, 'g');

/**
 * Wraps text in CDATA so that any content stays well-formed: `]]>` is split across two sections
 * (`]]]]><![CDATA[>`) and characters XML cannot represent are dropped (a reply with them would be refused whole).
 */
export function cdata(text: string): string {
  const clean = NOT_XML.test(text) ? text.replace(NOT_XML_ALL, '') : text;
  return `<![CDATA[${clean.includes(']]>') ? clean.replaceAll(']]>', ']]]]><![CDATA[>') : clean}]]>`;
}
