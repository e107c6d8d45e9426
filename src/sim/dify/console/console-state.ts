import type { AppSource } from '../dsl.js';
import type { ExportFailure } from '../types.js';

/** Console-side records: the admin account, the workspace, sessions, lockouts and pending imports. */

/** An import waiting for confirmation (202 pending). */
export interface PendingImport {
  id: string;
  source: AppSource;
  /** The app to overwrite, when the import targets one. */
  appId: string | undefined;
  importedVersion: string;
  expiresAt: number;
}

/** The console's mutable state. */
export class ConsoleState {
  /** Failed logins per lower-cased email: count, and when the counter expires. */
  loginFailures = new Map<string, { count: number; expiresAt: number }>();
  /** Refresh token → account id (rotated on every refresh). */
  refreshTokens = new Map<string, { accountId: string; expiresAt: number }>();
  /** Access and CSRF tokens issued, with their issue time (so `expireConsoleTokens` can expire them). */
  issuedTokens = new Map<string, number>();
  /** Tokens issued before this epoch ms are reported as expired. */
  tokensExpiredBefore = 0;
  pendingImports = new Map<string, PendingImport>();
  exportFailures = new Map<string, ExportFailure>();
  latencyMs = 0;

  constructor(
    readonly account: { id: string; email: string; password: string; name: string },
    readonly workspace: { id: string; name: string; createdAt: number },
  ) {}

  /** Forgets sessions, lockouts, pending imports and export failures. */
  clear(): void {
    this.loginFailures.clear();
    this.refreshTokens.clear();
    this.issuedTokens.clear();
    this.tokensExpiredBefore = 0;
    this.pendingImports.clear();
    this.exportFailures.clear();
  }
}
