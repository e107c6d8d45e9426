import type { Logger } from 'pino';
import { AnswerAccumulator } from './answer-accumulator.js';
import type { DifyAnswer } from './answer-types.js';
import { apiErrorFromEvent } from './api-error-body.js';
import { DifyTransportError } from './errors.js';
import type { OpenedStream } from './http-transport.js';
import { SseParser, type SseEvent } from './sse-parser.js';
import { decodeDifyEvent, isTerminalEvent, type DifyStreamEvent } from './stream-events.js';

/**
 * A streaming Dify answer: iterate it for typed events, or call `finalAnswer()`.
 *
 * - An `error` event throws a `DifyApiError`.
 * - No `data:` event within the first-event timeout (pings do not count: a hung Chatflow sends only pings)
 *   throws `DifyTransportError` `first_event_timeout`; silence longer than the idle timeout while waiting for
 *   the server throws `idle_timeout` (time spent by the consumer between events does not count). Either one
 *   aborts the HTTP request.
 * - A stream that ends before `message_end` / `workflow_finished` / `workflow_paused` throws `stream_cut`.
 * - After a terminal event the stream is read to its end; if the server then goes silent for the idle
 *   timeout, the stream simply ends (the answer is already complete).
 *
 * A stream can be iterated once. Breaking out of the loop aborts the request.
 */
export class DifyEventStream implements AsyncIterable<DifyStreamEvent> {
  readonly #opened: OpenedStream;
  readonly #idleTimeoutMs: number;
  readonly #logger: Logger;
  #iterated = false;
  #sawData = false;
  #sawTerminal = false;

  constructor(opened: OpenedStream, idleTimeoutMs: number, logger: Logger) {
    this.#opened = opened;
    this.#idleTimeoutMs = idleTimeoutMs;
    this.#logger = logger;
  }

  /** The endpoint this stream answers, e.g. `POST /chat-messages`. */
  get endpoint(): string {
    return this.#opened.endpoint;
  }

  [Symbol.asyncIterator](): AsyncIterator<DifyStreamEvent> {
    this.#claim();
    return this.#events();
  }

  /** Reads the whole stream and folds it into the final answer. */
  async finalAnswer(): Promise<DifyAnswer> {
    this.#claim();
    const accumulator = new AnswerAccumulator(this.endpoint);
    // By chunk, not by event: one generator step per network read instead of one per token.
    for await (const batch of this.#batches()) for (const event of batch) accumulator.push(event);
    return accumulator.result();
  }

  #claim(): void {
    if (this.#iterated) throw new Error('a DifyEventStream can be iterated only once');
    this.#iterated = true;
  }

  /** Stops reading and aborts the HTTP request (this does not stop generation: use the stop endpoint). */
  abort(): void {
    this.#opened.watchdog.fail('aborted', 'stream aborted by the caller');
  }

  async *#events(): AsyncGenerator<DifyStreamEvent> {
    for await (const batch of this.#batches()) yield* batch;
  }

  /** The stream's events, the ones of each network read together. */
  async *#batches(): AsyncGenerator<DifyStreamEvent[]> {
    const { body, watchdog, endpoint } = this.#opened;
    const parser = new SseParser();
    // The idle timer runs only while waiting for the server (not while the consumer works); restarted with
    // refresh() at each wait rather than recreated per chunk.
    let waiting = false;
    let idleTimer: NodeJS.Timeout | undefined;
    let drained = false;
    try {
      for (;;) {
        if (this.#sawData) {
          waiting = true;
          if (idleTimer) idleTimer.refresh();
          else {
            idleTimer = setTimeout(() => waiting && this.#onIdle(), this.#idleTimeoutMs);
            idleTimer.unref();
          }
        }
        let chunk: IteratorResult<Uint8Array>;
        try {
          chunk = await body.next();
        } catch (err) {
          if (this.#sawTerminal) {
            // The answer is complete; a reset or our own idle abort after it changes nothing.
            this.#logger.debug({ endpoint }, 'dify stream ended after its terminal event');
            return;
          }
          const typed = watchdog.translate(err);
          if (typed instanceof DifyTransportError && typed.reason === 'network') {
            // The connection dropped mid-stream (reset, proxy cut): the answer is incomplete.
            const why = `the connection dropped before a terminal event (${typed.message})`;
            throw new DifyTransportError(endpoint, 'stream_cut', why, { cause: err });
          }
          throw typed;
        } finally {
          waiting = false;
        }
        const frames = chunk.done ? parser.end() : parser.feed(chunk.value);
        const batch: DifyStreamEvent[] = [];
        for (const frame of frames) {
          const event = this.#decode(frame, chunk.done === true);
          if (event === undefined) continue;
          if (event.event !== 'ping' && !this.#sawData) {
            this.#sawData = true;
            watchdog.disarm('first_event');
          }
          if (event.event === 'error') {
            if (batch.length > 0) yield batch; // what came before the error still reaches the consumer
            throw apiErrorFromEvent(event, endpoint);
          }
          if (isTerminalEvent(event)) this.#sawTerminal = true;
          batch.push(event);
        }
        if (batch.length > 0) yield batch;
        if (chunk.done) {
          drained = true;
          break;
        }
      }
      if (!this.#sawTerminal) {
        throw new DifyTransportError(endpoint, 'stream_cut', 'the stream ended before message_end or workflow_finished');
      }
    } finally {
      clearTimeout(idleTimer);
      watchdog.dispose();
      if (!drained) {
        // Stopped early (error, timeout, consumer break): close the connection.
        watchdog.abortQuietly();
        await body.return?.().catch(() => undefined);
      }
    }
  }

  /** A last frame left unfinished by a closed connection is a cut stream, not a protocol error. */
  #decode(frame: SseEvent, atEnd: boolean): DifyStreamEvent | undefined {
    try {
      return decodeDifyEvent(frame, this.#opened.endpoint);
    } catch (err) {
      if (!atEnd) throw err;
      if (this.#sawTerminal) return undefined; // the answer is already complete
      throw new DifyTransportError(this.#opened.endpoint, 'stream_cut', 'the stream ended inside an event', { cause: err });
    }
  }

  #onIdle(): void {
    const { watchdog } = this.#opened;
    if (this.#sawTerminal) watchdog.abortQuietly();
    else watchdog.fail('idle_timeout', `no event for ${this.#idleTimeoutMs} ms`);
  }
}
