/** Dify backup: a verifiable archive of every app's DSL, restore through the imports API, scheduled backups. */
export {
  runBackup,
  DEFAULT_BACKUP_CONCURRENCY,
  BACKUP_MODE_FILTERS,
  type BackupOptions,
  type BackupResult,
  type BackupAppResult,
  type BackupAppStatus,
  type BackupProgressEvent,
} from './backup.js';
export { verifyArchive, type VerifyReport, type VerifyProblem } from './verify.js';
export {
  runRestore,
  planRestore,
  selectApps,
  CONFLICT_POLICIES,
  DEFAULT_RESTORE_CONCURRENCY,
  type RestoreOptions,
  type RestoreResult,
  type RestoreAppResult,
  type RestorePlanItem,
  type ConflictPolicy,
} from './restore.js';
export {
  MANIFEST_FILE,
  ARCHIVE_FORMAT_VERSION,
  manifestSchema,
  parseManifest,
  serializeManifest,
  referencedFiles,
  type Manifest,
  type ManifestApp,
  type ManifestVersion,
  type ManifestAnnotations,
  type ManifestFailure,
  type ManifestParseResult,
} from './manifest.js';
export { openArchive, type ArchiveSource } from './archive-source.js';
export { ArchiveWriter, type ArchiveWriterOptions, type PutResult } from './archive-writer.js';
export { appFileStem, appDslPath, versionDslPath, annotationsPath } from './file-name.js';
export { resolveDifyTarget, type DifyTarget, type DifyTargetSpec, type SecretSettingNames } from './dify-target.js';
export type { RetryPolicy } from './retry.js';
export { datedArchiveName, allocateDatedArchive, listDatedArchives, pruneDatedArchives, type DatedArchive } from './retention.js';
export { createBackupProgressReporter, type BackupProgressReporter } from './progress-reporter.js';
export { BackupScheduler, type BackupSchedulerOptions, type BackupSchedulerCounters, type BackupRunOutcome } from './scheduler.js';
export { backupsConfigSchema, type BackupsConfig } from './config-schema.js';
export { BackupUsageError, BackupConnectError, ArchiveReadError } from './errors.js';
