import { MpgateError } from '../../errors.js';

/** Why an article could not be rendered. */
export type RenderErrorCode = 'FRONT_MATTER_INVALID' | 'THEME_UNKNOWN';

/** An article that cannot be rendered as written; the message says what to change. */
export class RenderError extends MpgateError {
  declare readonly code: RenderErrorCode;
  constructor(code: RenderErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** The YAML front matter is malformed or a field has the wrong type; `line` is 1-based in the Markdown file. */
export class FrontMatterError extends RenderError {
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly field: string | undefined;
  constructor(init: { message: string; line?: number; column?: number; field?: string; cause?: unknown }) {
    const where = init.line === undefined ? '' : ` (line ${init.line}${init.column === undefined ? '' : `, column ${init.column}`})`;
    super('FRONT_MATTER_INVALID', `front matter: ${init.message}${where}`, { cause: init.cause });
    this.line = init.line;
    this.column = init.column;
    this.field = init.field;
  }
}

/** A theme name that is not built in; `available` lists the ones that are. */
export class UnknownThemeError extends RenderError {
  readonly theme: string;
  readonly available: readonly string[];
  constructor(theme: string, available: readonly string[]) {
    super('THEME_UNKNOWN', `unknown theme "${theme}"; available themes: ${available.join(', ')}`);
    this.theme = theme;
    this.available = available;
  }
}
