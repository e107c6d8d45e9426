import type { HttpSender, IncomingResponse } from './http-sender.js';

/** A sender over a WHATWG `fetch` (a caller's own, for tests and proxies). */
export function fetchSender(fetchImpl: typeof fetch): HttpSender {
  return async (request) => {
    const response = await fetchImpl(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: request.signal,
    });
    return fetchResponse(response);
  };
}

function fetchResponse(response: Response): IncomingResponse {
  return {
    status: response.status,
    headers: response.headers,
    header: (name) => response.headers.get(name) ?? undefined,
    bytes: async () => new Uint8Array(await response.arrayBuffer()),
    chunks: () => (response.body === null ? emptyChunks() : readerChunks(response.body)),
  };
}

/** Cancelling the reader on `return()` makes fetch drop the connection of an unfinished answer. */
function readerChunks(body: ReadableStream<Uint8Array>): AsyncIterator<Uint8Array> {
  const reader = body.getReader();
  return {
    next: async () => {
      const read = await reader.read();
      return read.done ? { done: true, value: undefined } : { done: false, value: read.value };
    },
    return: async () => {
      await reader.cancel();
      reader.releaseLock();
      return { done: true, value: undefined };
    },
  };
}

async function* emptyChunks(): AsyncGenerator<Uint8Array> {
  // no body: nothing to yield
}
