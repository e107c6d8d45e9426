import type { ServerResponse } from 'node:http';

/**
 * Dify's streaming wire format (reference §2.4): `data: <compact json>\n\n` per event, keep-alive pings as a bare
 * `event: ping\n\n`, no `[DONE]`; the server ends the stream by closing the body.
 */
export class SseStream {
  private pingTimer: NodeJS.Timeout | undefined;
  private ended = false;
  /** Settles when the last write has been handed to the socket. */
  private flushed: Promise<void> = Promise.resolve();
  /** Aborted when the client goes away before the stream ends. */
  readonly gone = new AbortController();

  constructor(
    private readonly res: ServerResponse,
    private readonly headers: Record<string, string>,
  ) {
    res.on('close', () => {
      this.stopPings();
      if (!this.ended) this.gone.abort();
      this.ended = true;
    });
  }

  /** Writes the 200 head; `pingFirst` sends the opening ping of Chatflow/Workflow streams (≥ 1.13). */
  open(opts: { pingFirst: boolean; pingIntervalMs: number }): void {
    this.res.writeHead(200, { ...this.headers, 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' });
    if (opts.pingFirst) this.ping();
    else this.res.flushHeaders();
    // Dify's queue listener pings every ~10 s of elapsed time, whether or not events flow.
    if (opts.pingIntervalMs > 0) {
      this.pingTimer = setInterval(() => this.ping(), opts.pingIntervalMs);
      this.pingTimer.unref();
    }
  }

  /** Whether the stream can still be written. */
  get writable(): boolean {
    return !this.ended && !this.res.destroyed;
  }

  /** One `data:` frame. */
  send(event: Record<string, unknown>): void {
    this.write(`data: ${JSON.stringify(event)}\n\n`);
  }

  /** A keep-alive frame. */
  ping(): void {
    this.write('event: ping\n\n');
  }

  private write(frame: string): void {
    if (!this.writable) return;
    this.flushed = new Promise((resolve) => this.res.write(frame, () => resolve()));
  }

  private stopPings(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = undefined;
  }

  /** Ends the body normally. */
  end(): void {
    this.stopPings();
    if (this.writable) {
      this.ended = true;
      this.res.end();
    }
  }

  /** Drops the connection without ending the chunked body (the client sees a truncated stream). */
  async cut(): Promise<void> {
    this.stopPings();
    this.ended = true;
    // Let what was already sent reach the client first, as a real mid-stream failure would.
    await this.flushed;
    this.res.socket?.destroy();
    this.res.destroy();
  }
}
