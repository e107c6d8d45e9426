import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { loadConfigFromObject } from './load-config.js';
import { redactConfig } from './redact-config.js';
import { summarizeConfig } from './summarize-config.js';
import { SAMPLE_SECRETS, sampleAccount } from './test-support/sample-config.js';

function configWithEverySecret() {
  return loadConfigFromObject(
    {
      server: { adminToken: SAMPLE_SECRETS.adminToken },
      store: { driver: 'redis', url: `redis://default:${SAMPLE_SECRETS.redisPassword}@cache.internal:6379/2` },
      accounts: [
        sampleAccount({
          appSecret: SAMPLE_SECRETS.appSecret,
          encodingAESKey: SAMPLE_SECRETS.encodingAESKey,
          previousEncodingAESKey: SAMPLE_SECRETS.previousEncodingAESKey,
          ai: { baseUrl: 'https://api.dify.ai/v1' },
        }),
      ],
    },
    { env: {} },
  );
}

test('the redacted config, printed as JSON or YAML, contains none of the secret values', () => {
  const safe = redactConfig(configWithEverySecret());
  for (const printed of [JSON.stringify(safe), stringify(safe), summarizeConfig(safe).join('\n')]) {
    for (const [name, value] of Object.entries(SAMPLE_SECRETS)) assert.ok(!printed.includes(value), `${name} leaked:\n${printed}`);
  }
  const account = safe.accounts[0];
  assert.equal(account?.appSecret, '[redacted]');
  assert.equal(account?.token, '[redacted]');
  assert.equal(account?.encodingAESKey, '[redacted]');
  assert.equal(account?.previousEncodingAESKey, '[redacted]');
  assert.equal(account?.ai.apiKey, '[redacted]');
  assert.equal(safe.server.adminToken, '[redacted]');
  assert.deepEqual(safe.store, { driver: 'redis', url: 'redis://[redacted]@cache.internal:6379/2' });
});

test('redaction keeps everything else and leaves the original untouched', () => {
  const config = configWithEverySecret();
  const safe = redactConfig(config);
  assert.equal(config.accounts[0]?.appSecret, SAMPLE_SECRETS.appSecret, 'original unchanged');
  assert.equal(safe.accounts[0]?.appId, 'wx2c2769f8efd9abc2');
  assert.equal(safe.accounts[0]?.ai.baseUrl, 'https://api.dify.ai/v1');
  assert.deepEqual(safe.accounts[0]?.messages, config.accounts[0]?.messages);
  assert.deepEqual(safe.delivery, config.delivery);
  assert.equal(safe.wechat.tokenEndpoint, 'stable_token', 'a key merely containing "token" is not a secret');
});

test('the summary names accounts, modes and where state lives', () => {
  const lines = summarizeConfig(configWithEverySecret());
  assert.ok(lines.some((l) => l === 'store:    redis redis://[redacted]@cache.internal:6379/2'), lines.join('\n'));
  assert.ok(lines.some((l) => l.startsWith('account main: /wechat/main, wx2c2769f8efd9abc2, safe mode, push auto-detected')), lines.join('\n'));
});
