import { MpgateError } from '../errors.js';

/**
 * The command was used wrongly or cannot start: a missing option or environment variable, a password
 * given on the command line, a feature the Dify version lacks. The CLI exits 2 with the message.
 */
export class BackupUsageError extends MpgateError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('BACKUP_USAGE', message, options);
  }
}

/** An archive cannot be opened or read (not found, not a directory or zip, a broken zip). */
export class ArchiveReadError extends MpgateError {
  /** The archive path as given. */
  readonly archive: string;
  constructor(archive: string, message: string, options?: { cause?: unknown }) {
    super('BACKUP_ARCHIVE_READ', `${archive}: ${message}`, options);
    this.archive = archive;
  }
}

/** Dify could not be reached (or answered with something that is not Dify) before logging in. */
export class BackupConnectError extends MpgateError {
  readonly url: string;
  constructor(url: string, reason: string, options?: { cause?: unknown }) {
    super('BACKUP_CONNECT', `cannot reach the Dify console at ${url}: ${reason}`, options);
    this.url = url;
  }
}
