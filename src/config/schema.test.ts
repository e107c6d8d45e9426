import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { DEFAULT_MESSAGES, fillFollowerMessage } from './follower-messages.js';
import { loadConfigFromObject } from './load-config.js';
import { SAMPLE_SECRETS, sampleAccount } from './test-support/sample-config.js';

/** The problems loadConfigFromObject reports for `input` (fails the test when it does not throw). */
function problemsOf(input: unknown): ConfigProblem[] {
  try {
    loadConfigFromObject(input, { env: {} });
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    assert.equal(error.code, 'CONFIG_INVALID');
    return [...error.problems];
  }
  assert.fail('the configuration was accepted');
}

function pathsOf(input: unknown): string[] {
  return problemsOf(input).map((p) => p.path);
}

test('an almost empty config gets every documented default', () => {
  const config = loadConfigFromObject({ accounts: [sampleAccount()] }, { env: {}, baseDir: '/srv/mpgate' });
  assert.deepEqual(config.server, { host: '127.0.0.1', port: 8080, trustProxy: false });
  assert.deepEqual(config.store, { driver: 'sqlite', path: '/srv/mpgate/data/mpgate.db' });
  assert.deepEqual(config.wechat, { apiBase: 'https://api.weixin.qq.com', tokenEndpoint: 'stable_token', timeoutMs: 10_000 });
  assert.deepEqual(config.delivery, { timeoutMs: 5000, attempts: 3, safetyMarginMs: 500, pendingTtlSeconds: 86_400, replayWindowSeconds: 300, pollMs: 50, pushDelayMs: 500, concurrency: 32 });
  assert.deepEqual(config.logging, { level: 'info', content: false });
  assert.deepEqual(config.privacy, { retentionDays: 30 });
  const [account] = config.accounts;
  assert.ok(account);
  assert.equal(account.mode, 'plain', 'no encodingAESKey: plain');
  assert.equal(account.verified, 'auto');
  assert.equal(account.appSecret, undefined);
  assert.deepEqual(account.ai, {
    provider: 'dify',
    baseUrl: 'https://api.dify.ai/v1',
    apiKey: SAMPLE_SECRETS.apiKey,
    app: 'chat',
    inputs: {},
    responseMode: 'streaming',
    timeoutMs: 180_000,
    firstEventTimeoutMs: 30_000,
    idleTimeoutMs: 60_000,
  });
  assert.deepEqual(account.conversation, { idleResetMinutes: 1440, resetCommands: ['/new', '新对话'] });
  assert.deepEqual(account.fetchKeyword, ['继续', '1']);
  assert.deepEqual(account.messages, DEFAULT_MESSAGES);
});

test('with an encodingAESKey the mode defaults to safe; numbers and booleans may be given as text', () => {
  const config = loadConfigFromObject(
    {
      server: { port: '9090', trustProxy: 'true' },
      delivery: { timeoutMs: '800', safetyMarginMs: '100' },
      logging: { content: 'true' },
      accounts: [sampleAccount({ encodingAESKey: SAMPLE_SECRETS.encodingAESKey, verified: 'false', fetchKeyword: '取' })],
    },
    { env: {} },
  );
  assert.equal(config.server.port, 9090);
  assert.equal(config.server.trustProxy, true);
  assert.equal(config.delivery.timeoutMs, 800);
  assert.equal(config.logging.content, true);
  assert.equal(config.accounts[0]?.mode, 'safe');
  assert.equal(config.accounts[0]?.verified, false);
  assert.deepEqual(config.accounts[0]?.fetchKeyword, ['取'], 'a single keyword becomes a list');
});

test('messages can be overridden one by one; {keyword} is the only placeholder', () => {
  const config = loadConfigFromObject({ accounts: [sampleAccount({ messages: { welcome: '', aiFailed: '出错了，回复「{keyword}」重试' } })] }, { env: {} });
  const messages = config.accounts[0]?.messages;
  assert.equal(messages?.welcome, '', 'welcome may be empty: no welcome reply');
  assert.equal(messages?.aiFailed, '出错了，回复「{keyword}」重试');
  assert.equal(messages?.waiting, DEFAULT_MESSAGES.waiting, 'the others keep their defaults');
  assert.equal(fillFollowerMessage(DEFAULT_MESSAGES.fetchPrompt, { keyword: '继续' }), '回答还在生成中，请稍后回复「继续」获取。');

  // Problems come in the order their keys appear in the input.
  assert.deepEqual(problemsOf({ accounts: [sampleAccount({ messages: { nope: 'x', fetchPrompt: '回复{word}', aiFailed: '' } })] }), [
    { path: 'accounts[0].messages.nope', message: 'unknown key (known keys: waiting, fetchPrompt, stillWorking, moreAvailable, nothingPending, aiFailed, emptyAnswer, unsupported, welcome, conversationReset)' },
    { path: 'accounts[0].messages.fetchPrompt', message: 'unknown placeholder {word}; available: {keyword}' },
    { path: 'accounts[0].messages.aiFailed', message: 'must not be empty' },
  ]);
  const tooLong = problemsOf({ accounts: [sampleAccount({ messages: { waiting: '长'.repeat(700) } })] });
  assert.match(tooLong[0]?.message ?? '', /at most 2000 bytes .* it has 2100/);
});

test('duplicate account ids are an error naming both indexes', () => {
  const problems = problemsOf({ accounts: [sampleAccount({ id: 'main' }), sampleAccount({ id: 'shop' }), sampleAccount({ id: 'main' })] });
  assert.deepEqual(problems, [{ path: 'accounts[2].id', message: 'duplicate id "main": accounts[0] and accounts[2] both use it' }]);
});

test('duplicate ids are reported together with problems elsewhere in the file', () => {
  const paths = pathsOf({ store: { driver: 'mongo' }, accounts: [sampleAccount(), sampleAccount({ token: 'x' })] });
  assert.deepEqual(paths.sort(), ['accounts[1].id', 'accounts[1].token', 'store.driver']);
});

test('each WeChat credential is checked against its format, and messages never echo the value', () => {
  const problems = problemsOf({
    accounts: [
      sampleAccount({
        id: 'has space',
        appId: 'wx2C2769F8EFD9ABC2',
        token: 'ab',
        encodingAESKey: 'tooShortSecretValue',
        previousEncodingAESKey: 'has_underscore_and_43_characters_long_xxxxx',
      }),
    ],
  });
  assert.deepEqual(
    problems.map((p) => p.path),
    ['accounts[0].id', 'accounts[0].appId', 'accounts[0].token', 'accounts[0].encodingAESKey', 'accounts[0].previousEncodingAESKey'],
  );
  assert.equal(problems[3]?.message, 'must be 43 characters (it has 19)');
  assert.equal(problems[4]?.message, 'must contain only letters A-Z, a-z and digits 0-9');
  const text = JSON.stringify(problems);
  assert.ok(!text.includes('tooShortSecretValue') && !text.includes('has_underscore'), text);
});

test('encryption, push and key-rotation settings must agree', () => {
  assert.deepEqual(problemsOf({ accounts: [sampleAccount({ mode: 'safe' })] }), [{ path: 'accounts[0].encodingAESKey', message: 'is required when mode is safe' }]);
  assert.deepEqual(problemsOf({ accounts: [sampleAccount({ verified: true })] }), [
    { path: 'accounts[0].appSecret', message: 'is required when verified is true (客服 push needs an access token)' },
  ]);
  assert.deepEqual(pathsOf({ accounts: [sampleAccount({ previousEncodingAESKey: SAMPLE_SECRETS.previousEncodingAESKey })] }), ['accounts[0].previousEncodingAESKey']);
  assert.deepEqual(
    pathsOf({ accounts: [sampleAccount({ encodingAESKey: SAMPLE_SECRETS.encodingAESKey, previousEncodingAESKey: SAMPLE_SECRETS.encodingAESKey })] }),
    ['accounts[0].previousEncodingAESKey'],
  );
});

test('workflow and completion apps need an input variable; chat apps must not set one', () => {
  assert.deepEqual(pathsOf({ accounts: [sampleAccount({ ai: { app: 'workflow' } })] }), ['accounts[0].ai.inputVariable']);
  assert.deepEqual(pathsOf({ accounts: [sampleAccount({ ai: { app: 'completion' } })] }), ['accounts[0].ai.inputVariable']);
  assert.deepEqual(pathsOf({ accounts: [sampleAccount({ ai: { app: 'chat', inputVariable: 'q', outputVariable: 'a' } })] }), [
    'accounts[0].ai.inputVariable',
    'accounts[0].ai.outputVariable',
  ]);
  const config = loadConfigFromObject({ accounts: [sampleAccount({ ai: { app: 'workflow', inputVariable: 'question', outputVariable: 'answer' } })] }, { env: {} });
  assert.equal(config.accounts[0]?.ai.inputVariable, 'question');
  assert.equal(config.accounts[0]?.ai.outputVariable, 'answer');
});

test('responseMode blocking is for chat and chatflow apps only; streaming is the default', () => {
  const config = loadConfigFromObject({ accounts: [sampleAccount({ ai: { app: 'chatflow', responseMode: 'blocking' } })] }, { env: {} });
  assert.equal(config.accounts[0]?.ai.responseMode, 'blocking');
  assert.equal(loadConfigFromObject({ accounts: [sampleAccount()] }, { env: {} }).accounts[0]?.ai.responseMode, 'streaming');
  assert.deepEqual(problemsOf({ accounts: [sampleAccount({ ai: { app: 'agent', responseMode: 'blocking' } })] }), [
    { path: 'accounts[0].ai.responseMode', message: 'blocking is only for chat and chatflow apps: agent apps only stream (Dify rejects blocking calls to them)' },
  ]);
  assert.deepEqual(pathsOf({ accounts: [sampleAccount({ ai: { app: 'workflow', inputVariable: 'q', responseMode: 'blocking' } })] }), [
    'accounts[0].ai.responseMode',
  ]);
  assert.deepEqual(pathsOf({ accounts: [sampleAccount({ ai: { responseMode: 'fast' } })] }), ['accounts[0].ai.responseMode']);
});

test('the Dify base URL must be the Service API URL (…/v1); a trailing slash is dropped', () => {
  assert.deepEqual(problemsOf({ accounts: [sampleAccount({ ai: { baseUrl: 'https://dify.example.com' } })] }), [
    { path: 'accounts[0].ai.baseUrl', message: 'must be the Service API base URL, which ends in /v1 (e.g. https://api.dify.ai/v1 or http://my-dify/v1)' },
  ]);
  assert.deepEqual(pathsOf({ accounts: [sampleAccount({ ai: { baseUrl: 'ftp://dify/v1' } })] }), ['accounts[0].ai.baseUrl']);
  const config = loadConfigFromObject({ accounts: [sampleAccount({ ai: { baseUrl: 'http://127.0.0.1:5001/v1/' } })] }, { env: {} });
  assert.equal(config.accounts[0]?.ai.baseUrl, 'http://127.0.0.1:5001/v1');
});

test('delivery.safetyMarginMs must be below delivery.timeoutMs', () => {
  assert.deepEqual(problemsOf({ delivery: { timeoutMs: 400, safetyMarginMs: 400 } }), [
    { path: 'delivery.safetyMarginMs', message: "must be less than delivery.timeoutMs (400): it is the part of each delivery's window kept in reserve" },
  ]);
  assert.equal(loadConfigFromObject({ delivery: { timeoutMs: 400, safetyMarginMs: 399 } }, { env: {} }).delivery.safetyMarginMs, 399);
});

test('pending answers may not outlive the privacy retention period', () => {
  assert.deepEqual(pathsOf({ privacy: { retentionDays: 1 }, delivery: { pendingTtlSeconds: 86_401 } }), ['delivery.pendingTtlSeconds']);
});

test('store: redis needs a redis:// URL; url is refused for the other drivers', () => {
  assert.deepEqual(problemsOf({ store: { driver: 'redis' } }), [{ path: 'store.url', message: 'is required when driver is redis (redis://host:6379 or rediss://…)' }]);
  assert.deepEqual(problemsOf({ store: { driver: 'redis', url: 'http://cache:6379' } }), [{ path: 'store.url', message: 'must start with redis:// or rediss://' }]);
  assert.deepEqual(pathsOf({ store: { driver: 'sqlite', url: 'redis://cache' } }), ['store.url']);
  assert.deepEqual(loadConfigFromObject({ store: { driver: 'redis', url: 'rediss://cache:6380' } }, { env: {} }).store, { driver: 'redis', url: 'rediss://cache:6380' });
  assert.deepEqual(loadConfigFromObject({ store: { driver: 'memory' } }, { env: {} }).store, { driver: 'memory' });
});

test('unknown keys are reported with a suggestion, at every level', () => {
  assert.deepEqual(problemsOf({ server: { prot: 8080 }, accounts: [sampleAccount({ app_id: 'wx2c2769f8efd9abc2', ai: { apikey: 'x' } })], publisherr: {} }), [
    { path: 'server.prot', message: 'unknown key (did you mean port?)' },
    { path: 'accounts[0].app_id', message: 'unknown key (did you mean appId?)' },
    { path: 'accounts[0].ai.apikey', message: 'unknown key (did you mean apiKey?)' },
    { path: 'publisherr', message: 'unknown key (known keys: server, store, wechat, delivery, logging, privacy, accounts, backups)' },
  ]);
});

test('wrong types and ranges are worded for YAML users', () => {
  assert.deepEqual(problemsOf({ server: { host: ['a'], port: 70_000 }, logging: { level: 'loud' }, accounts: { id: 'main' } }), [
    { path: 'server.host', message: 'must be text, not a list' },
    { path: 'server.port', message: 'must be at most 65535' },
    { path: 'logging.level', message: 'must be one of fatal, error, warn, info, debug, trace, silent (got "loud")' },
    { path: 'accounts', message: 'must be a list, not a mapping' },
  ]);
  // Reversing the input reverses the report.
  assert.deepEqual(pathsOf({ accounts: { id: 'main' }, logging: { level: 'loud' }, server: { port: 70_000, host: ['a'] } }), [
    'accounts',
    'logging.level',
    'server.port',
    'server.host',
  ]);
  assert.deepEqual(problemsOf({ accounts: [{ ...sampleAccount(), ai: 'dify' }] }), [
    { path: 'accounts[0].ai', message: 'must be a mapping of keys to values, not text' },
  ]);
});

test('a config that is not a mapping is refused as a whole', () => {
  assert.deepEqual(problemsOf(['server']), [{ path: '', message: 'the configuration must be a mapping of sections (server:, store:, accounts: …)' }]);
});
