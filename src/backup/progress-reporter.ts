import type { BackupProgressEvent } from './backup.js';

/** Where progress goes: a stream (stderr), possibly a terminal. */
export interface TextSink {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Renders backup progress; call `finish()` once the backup returned or threw. */
export interface BackupProgressReporter {
  onProgress(event: BackupProgressEvent): void;
  finish(): void;
}

const BAR_WIDTH = 24;
const CLEAR_LINE = '\r\x1b[2K';

/**
 * On a terminal: one progress bar line redrawn in place (at most every `minIntervalMs`), with failures
 * printed above it as they happen. Otherwise (a log file, CI, a pipe): one quiet line per app.
 */
export function createBackupProgressReporter(sink: TextSink, options: { minIntervalMs?: number; now?: () => number } = {}): BackupProgressReporter {
  const now = options.now ?? Date.now;
  const minInterval = options.minIntervalMs ?? 100;
  if (!sink.isTTY) {
    return {
      onProgress(event) {
        if (event.type === 'listed') {
          sink.write(`Backing up ${event.total} app${event.total === 1 ? '' : 's'}${event.difyVersion ? ` from Dify ${event.difyVersion}` : ''} into ${event.archive}\n`);
          return;
        }
        const label = event.status === 'failed' ? 'FAILED   ' : event.status === 'saved' ? 'saved    ' : 'unchanged';
        sink.write(`${label} [${event.done}/${event.total}] ${event.app.name} (${event.app.id})${event.error ? `: ${event.error}` : ''}\n`);
      },
      finish() {},
    };
  }

  let total = 0;
  let done = 0;
  let failed = 0;
  let current = '';
  let lastDraw = 0;
  let drawn = false;
  const started = now();
  const draw = (force: boolean) => {
    const t = now();
    if (!force && t - lastDraw < minInterval) return;
    lastDraw = t;
    const ratio = total === 0 ? 1 : done / total;
    const filled = Math.round(ratio * BAR_WIDTH);
    const elapsed = (t - started) / 1000;
    const eta = done > 0 && done < total ? ` ETA ${Math.ceil((elapsed / done) * (total - done))}s` : '';
    let line = `Backing up [${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ${done}/${total} apps${failed > 0 ? `, ${failed} failed` : ''}${eta}${current ? `  ${current}` : ''}`;
    const width = sink.columns ?? 100;
    if ([...line].length > width - 1) line = `${[...line].slice(0, Math.max(10, width - 2)).join('')}…`;
    sink.write(`${CLEAR_LINE}${line}`);
    drawn = true;
  };
  return {
    onProgress(event) {
      if (event.type === 'listed') {
        total = event.total;
        sink.write(`Backing up ${event.total} app${event.total === 1 ? '' : 's'}${event.difyVersion ? ` from Dify ${event.difyVersion}` : ''} into ${event.archive}\n`);
        draw(true);
        return;
      }
      done = event.done;
      current = event.app.name;
      if (event.status === 'failed') {
        failed += 1;
        sink.write(`${CLEAR_LINE}FAILED ${event.app.name} (${event.app.id}): ${event.error ?? 'unknown error'}\n`);
        draw(true);
        return;
      }
      draw(done === total);
    },
    finish() {
      if (!drawn) return;
      current = '';
      draw(true);
      sink.write('\n');
    },
  };
}
