/**
 * Progress of multi-file work on a terminal: one line redrawn in place on a TTY, plain lines otherwise (logs
 * and pipes get every step, without control characters).
 */

const CLEAR_LINE = '\r\x1b[2K';

export class ProgressLine {
  private readonly write: (text: string) => void;
  private readonly tty: boolean;
  private readonly columns: number;
  private drawn = false;

  /** `write` receives raw text (stderr); `tty` says whether it is a terminal, `columns` its width. */
  constructor(write: (text: string) => void, tty: boolean, columns = 100) {
    this.write = write;
    this.tty = tty;
    this.columns = Math.max(20, columns);
  }

  /** Shows the current step: redraws the line on a TTY, prints a line otherwise. */
  update(text: string): void {
    if (!this.tty) {
      this.write(`${text}\n`);
      return;
    }
    this.write(`${CLEAR_LINE}${fitWidth(text, this.columns - 1)}`);
    this.drawn = true;
  }

  /** Removes the progress line (on a TTY) so that normal output continues on a clean line. */
  clear(): void {
    if (this.tty && this.drawn) this.write(CLEAR_LINE);
    this.drawn = false;
  }
}

/** Cuts `text` to `width` terminal columns (CJK and emoji take two), ending in … when cut: a wrapped line cannot be redrawn. */
function fitWidth(text: string, width: number): string {
  let used = 0;
  let out = '';
  const chars = [...text];
  for (const [i, ch] of chars.entries()) {
    const w = columnsOf(ch);
    const rest = i === chars.length - 1 ? 0 : 1;
    if (used + w + rest > width && i < chars.length - 1) return `${out}…`;
    if (used + w > width) return `${out}…`;
    out += ch;
    used += w;
  }
  return out;
}

function columnsOf(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0;
  const wide =
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    cp >= 0x1f300;
  return wide ? 2 : 1;
}
