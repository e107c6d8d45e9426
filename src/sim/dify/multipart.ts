/**
 * A small multipart/form-data parser. The simulator parses uploads itself because Dify's checks depend on details
 * generic parsers hide: how many parts there are, and whether a part carries a Content-Type at all (no
 * Content-Type → 415 unsupported_file_type, reference §7.1).
 */

/** One part of a multipart body. */
export interface MultipartPart {
  readonly name: string;
  /** undefined when the Content-Disposition has no filename (a plain field). */
  readonly filename: string | undefined;
  /** The part's own Content-Type header, undefined when absent. */
  readonly contentType: string | undefined;
  readonly data: Buffer;
}

/** The boundary of a multipart Content-Type, or undefined when it is not multipart/form-data. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\b/i.test(contentType)) return undefined;
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m?.[1] ?? m?.[2];
}

/** Splits `body` into parts; throws a TypeError when the body is not well-formed for `boundary`. */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new TypeError('multipart body has no boundary line');
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString('latin1') === '--') break; // closing delimiter
    if (body.subarray(pos, pos + 2).toString('latin1') !== '\r\n') throw new TypeError('malformed multipart delimiter');
    pos += 2;
    const headerEnd = body.indexOf('\r\n\r\n', pos, 'latin1');
    if (headerEnd < 0) throw new TypeError('multipart part without header end');
    const headers = parseHeaders(body.subarray(pos, headerEnd).toString('utf8'));
    const dataStart = headerEnd + 4;
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), dataStart);
    if (next < 0) throw new TypeError('multipart part is not terminated');
    const disposition = headers.get('content-disposition') ?? '';
    parts.push({
      name: dispositionParam(disposition, 'name') ?? '',
      filename: dispositionFilename(disposition),
      contentType: headers.get('content-type'),
      data: body.subarray(dataStart, next),
    });
    pos = next + 2;
  }
  return parts;
}

function parseHeaders(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) out.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return out;
}

function dispositionParam(disposition: string, key: string): string | undefined {
  const re = new RegExp(`;\\s*${key}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;]*))`, 'i');
  const m = re.exec(disposition);
  if (!m) return undefined;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? '').trim();
}

function dispositionFilename(disposition: string): string | undefined {
  const extended = /;\s*filename\*=(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // fall through to the plain parameter
    }
  }
  return dispositionParam(disposition, 'filename');
}
