/** Logging: a pino logger that never writes secrets, and the rule for follower content. */
export { createLogger, LOG_LEVELS, type CreateLoggerOptions, type LogLevel } from './logger.js';
export { logContent, hiddenContent, isContentKey, CONTENT_LOG_KEYS } from './log-content.js';
export { redactSecretsDeep, type RedactOptions } from './redact-secrets.js';
export { isSecretKey, scrubSecretsInText, REDACTED } from './secret-keys.js';
