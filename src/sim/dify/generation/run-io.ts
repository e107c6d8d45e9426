import { setTimeout as delay } from 'node:timers/promises';

/** What a generation run sees of its transport: a stream, or a blocking request that only gets the result. */
export interface RunIo {
  readonly streaming: boolean;
  /** Sends an event (ignored in blocking mode). */
  emit(event: Record<string, unknown>): void;
  /** Waits; `stopped` = the stop endpoint was called, `gone` = the client left or the simulator is closing. */
  wait(ms: number): Promise<'ok' | 'stopped' | 'gone'>;
  /** Whether the stop endpoint has been called for this task. */
  stopped(): boolean;
}

/** How a run ended; the caller turns it into the end of the stream or the blocking response. */
export type RunOutcome =
  | { kind: 'finished'; answer: string; stopped: boolean; outputs?: Record<string, unknown> }
  /** An error: in a stream it has already been sent as an `error` event (or as a failed `workflow_finished`). */
  | { kind: 'failed'; answer: string; error: { code: string; message: string; status: number }; workflowFailed: boolean }
  | { kind: 'cut' }
  | { kind: 'hang' }
  | { kind: 'gone' };

/** A wait that ends early on stop or on `gone`. */
export async function interruptibleWait(ms: number, stop: AbortSignal, gone: AbortSignal): Promise<'ok' | 'stopped' | 'gone'> {
  if (gone.aborted) return 'gone';
  if (stop.aborted) return 'stopped';
  if (ms > 0) {
    try {
      await delay(ms, undefined, { signal: AbortSignal.any([stop, gone]) });
    } catch {
      // aborted: fall through to report why
    }
  } else {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (gone.aborted) return 'gone';
  if (stop.aborted) return 'stopped';
  return 'ok';
}
