import { DifyApiError, DifyTransportError, type DifyTransportReason } from './errors.js';

/**
 * Owns the AbortController of one HTTP exchange and the timers that may abort it (overall timeout,
 * first-event and idle timeouts of a stream). When a timer fires, the exchange is aborted and
 * `translate` turns whatever the fetch or body read then throws into the typed reason.
 */
export class RequestWatchdog {
  readonly #controller = new AbortController();
  readonly #endpoint: string;
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();
  #failure: DifyTransportError | undefined;
  #unlinkCallerSignal: (() => void) | undefined;

  constructor(endpoint: string, timeoutMs: number, callerSignal?: AbortSignal) {
    this.#endpoint = endpoint;
    if (callerSignal) {
      const onAbort = (): void => this.fail('aborted', 'aborted by the caller');
      if (callerSignal.aborted) onAbort();
      else {
        callerSignal.addEventListener('abort', onAbort, { once: true });
        this.#unlinkCallerSignal = () => callerSignal.removeEventListener('abort', onAbort);
      }
    }
    this.arm('overall', timeoutMs, () => this.fail('timeout', `no complete answer within ${timeoutMs} ms`));
  }

  /** The signal to hand to fetch. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The typed failure, once a timer (or the caller) aborted the exchange. */
  get failure(): DifyTransportError | undefined {
    return this.#failure;
  }

  /** Starts (or restarts) a named timer. */
  arm(name: string, ms: number, onFire: () => void): void {
    this.disarm(name);
    const timer = setTimeout(() => {
      this.#timers.delete(name);
      onFire();
    }, ms);
    timer.unref?.();
    this.#timers.set(name, timer);
  }

  /** Stops a named timer, if running. */
  disarm(name: string): void {
    const timer = this.#timers.get(name);
    if (timer !== undefined) clearTimeout(timer);
    this.#timers.delete(name);
  }

  /** Aborts the exchange with a typed reason (the first reason wins). */
  fail(reason: DifyTransportReason, message: string): void {
    this.#failure ??= new DifyTransportError(this.#endpoint, reason, message);
    this.#controller.abort(this.#failure);
  }

  /** Aborts the exchange without it being a failure (the answer is complete, or the caller stopped reading). */
  abortQuietly(): void {
    this.#controller.abort();
  }

  /** Maps an error thrown by fetch or a body read to a typed Dify error. */
  translate(err: unknown): Error {
    if (this.#failure) return this.#failure;
    if (err instanceof DifyApiError || err instanceof DifyTransportError) return err;
    return new DifyTransportError(this.#endpoint, 'network', describeNetworkError(err), { cause: err });
  }

  /** Clears every timer and the link to the caller's signal. */
  dispose(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    this.#unlinkCallerSignal?.();
    this.#unlinkCallerSignal = undefined;
  }
}

/**
 * fetch's "fetch failed" hides the useful part in `cause` (ECONNREFUSED, ENOTFOUND, …); undici.request throws
 * that error itself, its code (e.g. UND_ERR_SOCKET) not always in the message.
 */
function describeNetworkError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause;
  if (cause instanceof Error) return `${err.message}: ${withCode(cause)}`;
  return withCode(err);
}

function withCode(err: Error): string {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && !err.message.includes(code) ? `${code} ${err.message}` : err.message;
}
