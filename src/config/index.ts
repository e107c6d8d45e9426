/** Configuration: the mpgate.yaml schema, its defaults, loading with ${ENV} interpolation, and redaction. */
export {
  configSchema,
  STORE_DRIVERS,
  type MpgateConfig,
  type ServerConfig,
  type StoreSettings,
  type StoreDriver,
  type WechatConfig,
  type DeliveryConfig,
  type LoggingConfig,
  type PrivacyConfig,
} from './schema.js';
export {
  accountSchema,
  DIFY_APP_TYPES,
  ENCRYPTION_MODES,
  DEFAULT_RESET_COMMANDS,
  DEFAULT_FETCH_KEYWORDS,
  type AccountConfig,
  type AiConfig,
  type ConversationConfig,
  type DifyAppType,
  type EncryptionMode,
} from './account-schema.js';
export {
  DEFAULT_MESSAGES,
  MESSAGE_PLACEHOLDERS,
  MESSAGES_ALLOWED_EMPTY,
  fillFollowerMessage,
  type FollowerMessageKey,
  type FollowerMessages,
  type MessageValues,
} from './follower-messages.js';
export { loadConfig, parseConfigText, loadConfigFromObject, DEFAULT_CONFIG_PATH, type ConfigLoadOptions } from './load-config.js';
export { interpolateEnv, type EnvVars, type InterpolationResult } from './interpolate-env.js';
export { ConfigError, formatConfigProblem, type ConfigProblem, type ConfigErrorCode } from './config-error.js';
export { formatKeyPath } from './key-path.js';
export { redactConfig } from './redact-config.js';
export { summarizeConfig } from './summarize-config.js';
