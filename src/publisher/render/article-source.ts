import { readFile } from 'node:fs/promises';
import { MpgateError } from '../../errors.js';

/** A Markdown file that could not be read; the message names the file and the reason. */
export class ArticleFileError extends MpgateError {
  readonly file: string;
  constructor(file: string, reason: string, options?: { cause?: unknown }) {
    super('ARTICLE_FILE_UNREADABLE', `cannot read ${file}: ${reason}`, options);
    this.file = file;
  }
}

/** Reads a Markdown (or CSS) file as UTF-8, with an error that says which file and why. */
export async function readArticleSource(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String((err as Error).message);
    throw new ArticleFileError(file, reason, { cause: err });
  }
}
