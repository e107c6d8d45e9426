import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger, type CreateLoggerOptions } from './logger.js';
import { logContent } from './log-content.js';

/** A logger writing into memory; `lines()` returns what it wrote, parsed, and `raw()` the exact text. */
function capture(options: Omit<CreateLoggerOptions, 'destination'> = {}) {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  const logger = createLogger({ ...options, destination });
  const raw = () => chunks.join('');
  const lines = () =>
    raw()
      .trim()
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, raw, lines };
}

// Every value below is a distinct, greppable string: the assertions look for the values themselves.
const SECRETS = {
  appSecret: 'S-appsecret-6f1e2d',
  secret: 'S-secret-0a9b8c',
  token: 'S-token-77aa11',
  access_token: 'S-access-token-5522',
  accessToken: 'S-accessToken-9911',
  encodingAESKey: 'S-aeskey-abcdefghijklmnopqrstuvwxyz0123456',
  password: 'S-password-hunter2',
  apiKey: 'S-apikey-3344',
  api_key: 'S-api-key-8877',
  authorization: 'S-authorization-Bearer-xyz',
  cookie: 'S-cookie-session=1',
  adminToken: 'S-admintoken-qwerty',
} as const;

test('a log line carrying every kind of secret shows none of their values, at the top level and nested', () => {
  const { logger, raw, lines } = capture();
  logger.info({ ...SECRETS, nested: { deeper: { deepest: { ...SECRETS, list: [{ ...SECRETS }] } } }, account: 'main' }, 'call done');
  const text = raw();
  for (const [name, value] of Object.entries(SECRETS)) assert.ok(!text.includes(value), `${name} value leaked: ${text}`);
  const [line] = lines();
  assert.equal(line?.account, 'main', 'non-secret fields are kept');
  assert.equal(line?.msg, 'call done');
  assert.equal(line?.appSecret, '[redacted]');
  const deepest = (line?.nested as { deeper: { deepest: Record<string, unknown> } }).deeper.deepest;
  assert.equal(deepest.apiKey, '[redacted]', 'nested three levels down');
  assert.equal((deepest.list as Record<string, unknown>[])[0]?.cookie, '[redacted]', 'inside an array');
});

test('secrets inside an err object, its own properties and its cause chain, are redacted', () => {
  const { logger, raw, lines } = capture();
  const cause = Object.assign(new Error('socket hang up'), { apiKey: SECRETS.apiKey, request: { headers: { Authorization: SECRETS.authorization } } });
  const error = Object.assign(new Error('token refresh failed', { cause }), { code: 'E_TOKEN', appSecret: SECRETS.appSecret, encodingAESKey: SECRETS.encodingAESKey });
  logger.error({ err: error, accountId: 'main' }, 'access token');
  logger.error(error); // an error as the only argument: pino takes the message from it
  const text = raw();
  for (const [name, value] of Object.entries(SECRETS)) assert.ok(!text.includes(value), `${name} value leaked: ${text}`);
  const [first, second] = lines();
  const err = first?.err as Record<string, unknown>;
  assert.equal(err.type, 'Error');
  assert.equal(err.message, 'token refresh failed');
  assert.equal(err.code, 'E_TOKEN', 'non-secret error properties are kept');
  assert.match(String(err.stack), /token refresh failed/);
  assert.equal((err.cause as Record<string, unknown>).message, 'socket hang up');
  assert.equal((err.cause as Record<string, unknown>).apiKey, '[redacted]');
  assert.equal(second?.msg, 'token refresh failed');
  assert.equal((second?.err as Record<string, unknown>).appSecret, '[redacted]');
});

test('secrets in URLs and in the message text are scrubbed (WeChat puts the AppSecret in the token URL)', () => {
  const { logger, raw } = capture();
  const url = `https://api.weixin.qq.com/cgi-bin/token?grant_type=client_credential&appid=wx2c2769f8efd9abc2&secret=${SECRETS.secret}`;
  logger.warn({ url, store: `redis://user:${SECRETS.password}@cache:6379/0` }, 'GET %s failed', url);
  logger.error(new Error(`fetch ${url} failed`));
  logger.info(`header Authorization: Bearer ${SECRETS.token}`);
  const text = raw();
  assert.ok(!text.includes(SECRETS.secret), text);
  assert.ok(!text.includes(SECRETS.password), text);
  assert.ok(!text.includes(SECRETS.token), text);
  assert.ok(text.includes('appid=wx2c2769f8efd9abc2'), 'non-secret parameters are kept');
  assert.ok(text.includes('redis://[redacted]@cache:6379/0'));
});

test('child logger bindings and extra arguments are redacted too', () => {
  const { logger, raw, lines } = capture();
  const child = logger.child({ accountId: 'main', appSecret: SECRETS.appSecret });
  child.child({ token: SECRETS.token }).info({ ok: true }, 'with %o', { password: SECRETS.password });
  const text = raw();
  assert.ok(!text.includes(SECRETS.appSecret) && !text.includes(SECRETS.token) && !text.includes(SECRETS.password), text);
  assert.equal(lines()[0]?.accountId, 'main');
});

test('follower content is hidden by default, with its length, and shown when content logging is on', () => {
  const question = '我的订单号是 8848，什么时候发货？';
  const hidden = capture();
  hidden.logger.info({ content: question, answer: { text: '明天' }, msgType: 'text' }, 'message in');
  const line = hidden.lines()[0];
  assert.ok(!hidden.raw().includes('8848'), hidden.raw());
  assert.equal(line?.content, `[content hidden, ${[...question].length} chars]`);
  assert.equal(line?.answer, '[content hidden]');
  assert.equal(line?.msgType, 'text');

  const shown = capture({ content: true });
  shown.logger.info({ content: question }, 'message in');
  assert.equal(shown.lines()[0]?.content, question);
});

test('logContent shows the text only when content logging is on', () => {
  assert.equal(logContent('你好，世界', { content: true }), '你好，世界');
  assert.equal(logContent('你好，世界', { content: false }), '[content hidden, 5 chars]');
  // A placeholder logged under a content key is not hidden a second time.
  const { logger, lines } = capture();
  logger.info({ content: logContent('abc', { content: false }) });
  assert.equal(lines()[0]?.content, '[content hidden, 3 chars]');
});

test('level filters lines; circular objects do not break logging', () => {
  const { logger, lines } = capture({ level: 'warn' });
  logger.info('dropped');
  const loop: Record<string, unknown> = { name: 'loop' };
  loop.self = loop;
  logger.warn({ loop }, 'kept');
  const all = lines();
  assert.equal(all.length, 1);
  assert.deepEqual(all[0]?.loop, { name: 'loop', self: '[circular]' });
});
