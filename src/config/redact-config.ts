import { redactSecretsDeep } from '../log/redact-secrets.js';
import type { MpgateConfig } from './schema.js';

/**
 * A copy of the configuration safe to print or log: every secret (appSecret, token, encodingAESKey,
 * previousEncodingAESKey, apiKey, adminToken, passwords, credentials in URLs such as store.url) is
 * replaced by `[redacted]`. Secrets are found by key name at any depth, so sections added later are
 * covered when their secret keys are named like secrets (…Token, …Secret, password, apiKey…).
 */
export function redactConfig(config: MpgateConfig): MpgateConfig {
  // Same shape: only string values change, and a config holds no Errors, Maps or cycles.
  return redactSecretsDeep(config) as MpgateConfig;
}
