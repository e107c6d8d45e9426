/** One Server-Sent Events frame. `data` is the `data:` lines joined by `\n` ('' when the frame had none). */
export interface SseEvent {
  /** The `event:` field; undefined when the frame had none (Dify puts the type inside the JSON instead). */
  event: string | undefined;
  data: string;
  /** The `id:` field of this frame, if any. */
  id: string | undefined;
  /** The `retry:` field of this frame, if any (milliseconds). */
  retry: number | undefined;
}

const LINE_END = /[\r\n]/g;

/**
 * Incremental SSE parser: feed it byte chunks split anywhere (inside a multi-byte UTF-8 character or
 * between `\r` and `\n`) and it returns the complete frames seen so far. Pure: no I/O, no timers.
 *
 * Differences from the browser's EventSource, on purpose: a frame with an `event:` line but no `data:`
 * line is still emitted (Dify's keep-alive is a bare `event: ping`), and `end()` emits a last frame that
 * lacks its closing blank line.
 */
export class SseParser {
  readonly #decoder = new TextDecoder('utf-8');
  /** Text of the current, unterminated line. */
  #partialLine = '';
  /** The previous chunk ended in `\r`: a `\n` at the start of the next text belongs to that line end. */
  #skipLeadingLf = false;
  #event: string | undefined;
  #data: string[] = [];
  #id: string | undefined;
  #retry: number | undefined;

  /** Parses one chunk; returns the frames it completed (possibly none). */
  feed(chunk: Uint8Array): SseEvent[] {
    const out: SseEvent[] = [];
    this.#consume(this.#decoder.decode(chunk, { stream: true }), out);
    return out;
  }

  /** Ends the stream: flushes the decoder and emits a last frame that had no closing blank line. */
  end(): SseEvent[] {
    const out: SseEvent[] = [];
    this.#consume(this.#decoder.decode(), out);
    if (this.#partialLine !== '') {
      this.#line(this.#partialLine, out);
      this.#partialLine = '';
    }
    this.#dispatch(out);
    this.#skipLeadingLf = false;
    return out;
  }

  #consume(decoded: string, out: SseEvent[]): void {
    if (decoded === '') return;
    let start = 0;
    // A pending `\r` only exists right after a line end, so #partialLine is then empty.
    if (this.#skipLeadingLf) {
      this.#skipLeadingLf = false;
      if (decoded.charCodeAt(0) === 0x0a) start = 1;
    }
    const text = this.#partialLine === '' ? decoded : this.#partialLine + decoded;
    LINE_END.lastIndex = start;
    let match: RegExpExecArray | null;
    while ((match = LINE_END.exec(text)) !== null) {
      const at = match.index;
      let next = at + 1;
      if (text.charCodeAt(at) === 0x0d) {
        if (next < text.length) {
          if (text.charCodeAt(next) === 0x0a) next += 1;
        } else {
          this.#skipLeadingLf = true;
        }
      }
      this.#line(text.slice(start, at), out);
      start = next;
      LINE_END.lastIndex = next;
    }
    this.#partialLine = text.slice(start);
  }

  #line(line: string, out: SseEvent[]): void {
    if (line === '') {
      this.#dispatch(out);
      return;
    }
    if (line.charCodeAt(0) === 0x3a) return; // `:` comment (keep-alive padding)
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 0x20) value = value.slice(1);
    switch (field) {
      case 'event':
        this.#event = value;
        break;
      case 'data':
        this.#data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) this.#id = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.#retry = Number(value);
        break;
      default:
        break; // unknown fields are ignored, as the SSE spec says
    }
  }

  #dispatch(out: SseEvent[]): void {
    if (this.#data.length > 0 || this.#event !== undefined) {
      out.push({ event: this.#event, data: this.#data.join('\n'), id: this.#id, retry: this.#retry });
    }
    this.#event = undefined;
    this.#data = [];
    this.#id = undefined;
    this.#retry = undefined;
  }
}
