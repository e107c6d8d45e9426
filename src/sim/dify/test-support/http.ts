/** Test helpers: plain-fetch calls and a minimal SSE frame reader (tests must not depend on the Dify client). */

/** One SSE frame as the wire carries it. */
export type SseFrame = { ping: true } | { ping: false; data: Record<string, unknown> };

/** Result of reading a stream: its frames and how it ended. */
export interface SseRead {
  frames: SseFrame[];
  /** `end` = the server closed the body; `error` = the connection broke; `timeout` = we stopped reading. */
  ending: 'end' | 'error' | 'timeout';
  raw: string;
}

/** Reads a `text/event-stream` body until it ends, breaks, or `timeoutMs` passes. */
export async function readSse(res: Response, timeoutMs = 5000, abort?: AbortController): Promise<SseRead> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let raw = '';
  let timedOut = false;
  let broken = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort?.abort();
    void reader.cancel().catch(() => undefined);
  }, timeoutMs);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      raw += decoder.decode(value, { stream: true });
    }
  } catch {
    broken = true;
  } finally {
    clearTimeout(timer);
  }
  const ending: SseRead['ending'] = timedOut ? 'timeout' : broken ? 'error' : 'end';
  return { frames: parseFrames(raw), ending, raw };
}

/** Splits raw SSE text into frames. */
export function parseFrames(raw: string): SseFrame[] {
  const frames: SseFrame[] = [];
  for (const block of raw.split('\n\n')) {
    if (!block.trim()) continue;
    if (block.trim() === 'event: ping') frames.push({ ping: true });
    else if (block.startsWith('data: ')) frames.push({ ping: false, data: JSON.parse(block.slice(6)) as Record<string, unknown> });
    else throw new Error(`unexpected SSE block: ${JSON.stringify(block)}`);
  }
  return frames;
}

/** The `event` names of the data frames, pings shown as `ping`. */
export function eventNames(frames: readonly SseFrame[]): string[] {
  return frames.map((f) => (f.ping ? 'ping' : String(f.data.event)));
}

/** The data frames only. */
export function dataEvents(frames: readonly SseFrame[]): Array<Record<string, unknown>> {
  return frames.flatMap((f) => (f.ping ? [] : [f.data]));
}

/** POST JSON with an app key. */
export function postJson(url: string, key: string, body: unknown, init: RequestInit = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    ...init,
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', ...(init.headers as Record<string, string> | undefined) },
    body: JSON.stringify(body),
  });
}

/** GET with an app key. */
export function getWithKey(url: string, key: string): Promise<Response> {
  return fetch(url, { headers: { Authorization: `Bearer ${key}` } });
}

/** A multipart body with one file part (the part Content-Type omitted when `contentType` is undefined). */
export function multipartBody(
  parts: Array<{ name: string; filename?: string; contentType?: string; data: Buffer | string }>,
): { body: Buffer; contentType: string } {
  const boundary = `----simtest${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.filename !== undefined) head += `; filename="${p.filename}"`;
    head += '\r\n';
    if (p.contentType !== undefined) head += `Content-Type: ${p.contentType}\r\n`;
    chunks.push(Buffer.from(`${head}\r\n`), Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Reads a stream frame by frame (to act in the middle of it, e.g. to stop the task). */
export class SseCursor {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();
  private buffer = '';
  readonly seen: SseFrame[] = [];
  ending: SseRead['ending'] = 'end';

  constructor(res: Response) {
    this.reader = (res.body as ReadableStream<Uint8Array>).getReader();
  }

  /** The next frame, or undefined when the stream is over. */
  async next(): Promise<SseFrame | undefined> {
    for (;;) {
      const sep = this.buffer.indexOf('\n\n');
      if (sep >= 0) {
        const block = this.buffer.slice(0, sep + 2);
        this.buffer = this.buffer.slice(sep + 2);
        const [frame] = parseFrames(block);
        if (frame) {
          this.seen.push(frame);
          return frame;
        }
        continue;
      }
      try {
        const { done, value } = await this.reader.read();
        if (done) return undefined;
        this.buffer += this.decoder.decode(value, { stream: true });
      } catch {
        this.ending = 'error';
        return undefined;
      }
    }
  }

  /** The next data frame (pings skipped). */
  async nextData(): Promise<Record<string, unknown> | undefined> {
    for (;;) {
      const f = await this.next();
      if (!f) return undefined;
      if (!f.ping) return f.data;
    }
  }

  /** Everything until the end. */
  async drain(): Promise<SseFrame[]> {
    while (await this.next());
    return this.seen;
  }
}
