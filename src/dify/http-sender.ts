/** One request as it goes on the wire: absolute URL, final headers, serialized body. */
export interface OutgoingRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | FormData | undefined;
  signal: AbortSignal;
}

/** An HTTP answer whose body is still unread, whichever HTTP client produced it. */
export interface IncomingResponse {
  readonly status: number;
  /** Every header (built on first use: most callers read one or two through `header`). */
  readonly headers: Headers;
  /** One header by lowercase name; repeated headers are joined with `, `. */
  header(name: string): string | undefined;
  /** Reads the whole body. */
  bytes(): Promise<Uint8Array>;
  /**
   * The body chunk by chunk, for event streams. Calling `return()` before the end closes the connection
   * (an unfinished HTTP/1.1 answer cannot be left on a pooled socket).
   */
  chunks(): AsyncIterator<Uint8Array>;
}

/** Puts one request on the wire and resolves once the answer's status and headers arrived. */
export type HttpSender = (request: OutgoingRequest) => Promise<IncomingResponse>;
