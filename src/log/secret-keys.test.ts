import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSecretKey, scrubSecretsInText } from './secret-keys.js';
import { redactSecretsDeep } from './redact-secrets.js';

test('isSecretKey recognises secret names in any spelling', () => {
  const secret = [
    'appSecret', 'AppSecret', 'app_secret', 'secret', 'token', 'access_token', 'accessToken', 'refresh_token', 'stable-token',
    'encodingAESKey', 'EncodingAESKey', 'previousEncodingAESKey', 'password', 'redisPassword', 'apiKey', 'api_key', 'x-api-key',
    'authorization', 'Authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'adminToken', 'signature', 'msg_signature',
  ];
  const notSecret = ['tokenEndpoint', 'max_tokens', 'total_tokens', 'appId', 'openid', 'id', 'url', 'path', 'timestamp', 'nonce', 'key', 'keyword', 'content'];
  for (const name of secret) assert.equal(isSecretKey(name), true, name);
  for (const name of notSecret) assert.equal(isSecretKey(name), false, name);
});

test('scrubSecretsInText removes URL credentials, secret parameters, auth headers and Dify keys', () => {
  const cases: [string, string][] = [
    ['redis://:pa55@cache:6379/0', 'redis://[redacted]@cache:6379/0'],
    ['rediss://user:pa55@cache', 'rediss://[redacted]@cache'],
    ['/cgi-bin/token?grant_type=client_credential&appid=wx1&secret=abc', '/cgi-bin/token?grant_type=client_credential&appid=wx1&secret=[redacted]'],
    ['POST /cgi-bin/message/custom/send?access_token=ACCESS_TOKEN_VALUE', 'POST /cgi-bin/message/custom/send?access_token=[redacted]'],
    ['/wechat/main?signature=0f1e&timestamp=1700000000&nonce=42', '/wechat/main?signature=[redacted]&timestamp=1700000000&nonce=42'],
    ['Authorization: Bearer app-abc.def', 'Authorization: Bearer [redacted]'],
    ['key app-AbCdEfGhIjKlMnOpQrSt1234 rejected', 'key [redacted] rejected'],
    ['plain text, 1+1=2, https://example.com/a@b', 'plain text, 1+1=2, https://example.com/a@b'],
  ];
  for (const [input, expected] of cases) assert.equal(scrubSecretsInText(input), expected, input);
});

test('redactSecretsDeep copies: the input object is left untouched', () => {
  const input = { token: 'T0K3N', inner: { password: 'pw' }, when: new Date(0) };
  const output = redactSecretsDeep(input) as typeof input;
  assert.equal(input.token, 'T0K3N');
  assert.equal(input.inner.password, 'pw');
  assert.equal(output.token, '[redacted]');
  assert.equal(output.inner.password, '[redacted]');
  assert.equal(output.when, input.when);
});

test('redactSecretsDeep keeps empty secrets visible as empty (shows "not set" rather than a fake value)', () => {
  assert.deepEqual(redactSecretsDeep({ appSecret: '', token: undefined, apiKey: null }), { appSecret: '', token: undefined, apiKey: null });
});

test('redactSecretsDeep stops at a hostile depth instead of overflowing the stack', () => {
  let deep: Record<string, unknown> = { token: 'x' };
  for (let i = 0; i < 10_000; i++) deep = { next: deep };
  const text = JSON.stringify(redactSecretsDeep(deep));
  assert.ok(text.includes('[too deep]'));
});
