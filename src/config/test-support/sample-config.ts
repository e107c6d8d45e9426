/** Inputs for config tests: a valid account (official WeChat sample values) that tests then break one key at a time. */

/** Secret values of sampleAccount, distinct and greppable, so tests can assert they never appear in output. */
export const SAMPLE_SECRETS = {
  appSecret: 'sampleappsecret0123456789abcdef0',
  token: 'spamtest',
  encodingAESKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  previousEncodingAESKey: 'ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut',
  apiKey: 'app-SampleDifyKey0123456789',
  adminToken: 'sample-admin-token-0123456789',
  redisPassword: 'sample-redis-pa55word',
} as const;

/** A valid `accounts[]` entry (as written in YAML) with `overrides` merged over it (shallowly; `ai` one level deeper). */
export function sampleAccount(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const { ai, ...rest } = overrides;
  return {
    id: 'main',
    appId: 'wx2c2769f8efd9abc2',
    token: SAMPLE_SECRETS.token,
    ...rest,
    ai: { baseUrl: 'https://api.dify.ai/v1', apiKey: SAMPLE_SECRETS.apiKey, app: 'chat', ...(ai as Record<string, unknown> | undefined) },
  };
}
