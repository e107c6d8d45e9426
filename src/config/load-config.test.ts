import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from './config-error.js';
import { loadConfig, loadConfigFromObject, parseConfigText } from './load-config.js';
import { SAMPLE_SECRETS, sampleAccount } from './test-support/sample-config.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mpgate-config-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

let fileCount = 0;
/** Writes YAML to a fresh file in the temp dir and returns its path. */
function writeConfig(yaml: string): string {
  const file = path.join(tmp, `config-${++fileCount}.yaml`);
  fs.writeFileSync(file, yaml);
  return file;
}

/** The ConfigError thrown by `load` (fails the test when nothing is thrown). */
function configError(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail('the configuration was accepted');
}

const ACCOUNT_YAML = `
accounts:
  - id: main
    appId: wx2c2769f8efd9abc2
    token: \${WX_TOKEN}
    ai:
      baseUrl: \${DIFY_URL:-https://api.dify.ai/v1}
      apiKey: \${DIFY_API_KEY}
      app: chat
`;

test('${VAR} is replaced by the variable, ${VAR:-default} falls back when unset or empty, $${ is a literal', () => {
  const file = writeConfig(`
server:
  port: \${PORT:-9000}
  host: \${HOST:-0.0.0.0}
${ACCOUNT_YAML}      inputs:
        template: 价格 $\${price}
`);
  const config = loadConfig(file, { env: { WX_TOKEN: 'tok123', DIFY_API_KEY: SAMPLE_SECRETS.apiKey, HOST: '' } });
  const account = config.accounts[0];
  assert.equal(account?.token, 'tok123');
  assert.equal(account?.ai.apiKey, SAMPLE_SECRETS.apiKey);
  assert.equal(account?.ai.baseUrl, 'https://api.dify.ai/v1', 'default used when unset');
  assert.equal(config.server.port, 9000, 'a defaulted number is converted');
  assert.equal(config.server.host, '0.0.0.0', 'default used when set but empty');
  assert.deepEqual(account?.ai.inputs, { template: '价格 ${price}' });

  const overridden = loadConfig(file, { env: { WX_TOKEN: 'tok123', DIFY_API_KEY: 'k', PORT: '7000', DIFY_URL: 'http://dify.local/v1' } });
  assert.equal(overridden.server.port, 7000);
  assert.equal(overridden.accounts[0]?.ai.baseUrl, 'http://dify.local/v1');
});

test('a missing variable is an error naming the key path and the variable, never a value', () => {
  const file = writeConfig(ACCOUNT_YAML);
  const error = configError(() => loadConfig(file, { env: { DIFY_API_KEY: SAMPLE_SECRETS.apiKey } }));
  assert.equal(error.code, 'CONFIG_INVALID');
  // Only the interpolation problem: the token's format check on the raw "${WX_TOKEN}" text is not reported.
  assert.deepEqual(error.lines(), [
    'accounts[0].token: environment variable WX_TOKEN is not set (set it, or write ${WX_TOKEN:-default} to give a default)',
  ]);
  assert.ok(!error.message.includes(SAMPLE_SECRETS.apiKey));
  assert.equal(error.source, file);
  assert.ok(error.message.startsWith(`${file}: 1 problem\n`), error.message);
});

test('every missing variable is reported at once, and malformed references too', () => {
  const error = configError(() =>
    loadConfigFromObject(
      { server: { adminToken: '${ADMIN}', host: 'a${not valid}b' }, accounts: [sampleAccount({ appSecret: 'x${UNCLOSED' })] },
      { env: {} },
    ),
  );
  assert.deepEqual(error.lines(), [
    'server.adminToken: environment variable ADMIN is not set (set it, or write ${ADMIN:-default} to give a default)',
    'server.host: has a ${…} reference that is not a variable name (letters, digits and "_", e.g. ${DIFY_API_KEY})',
    'accounts[0].appSecret: has "${" without a closing "}" (write $${ for a literal "${")',
  ]);
  assert.ok(!error.message.includes('not valid'), 'the text inside a malformed reference is not echoed');
});

test('a YAML syntax error is reported with its line and column', () => {
  const file = writeConfig('server:\n  port: 8080\n  host: 127.0.0.1\n  port: 9090\n');
  const error = configError(() => loadConfig(file, { env: {} }));
  assert.equal(error.code, 'CONFIG_SYNTAX');
  assert.deepEqual(error.problems, [{ path: '', line: 4, column: 3, message: 'Map keys must be unique' }]);
  assert.deepEqual(error.lines(), ['line 4, column 3: Map keys must be unique']);

  const indent = configError(() => parseConfigText('server:\n  port: 8080\n host: x\n'));
  assert.deepEqual(indent.lines(), ['line 3, column 1: All mapping items must start at the same column']);
});

test('a YAML error never quotes the source line, which may hold a secret', () => {
  const error = configError(() => parseConfigText(`accounts:\n  - id: main\n    token: "${SAMPLE_SECRETS.appSecret}\n`));
  assert.equal(error.code, 'CONFIG_SYNTAX');
  assert.equal(error.problems[0]?.line, 4);
  assert.ok(!error.message.includes(SAMPLE_SECRETS.appSecret), error.message);
});

test('${…} inside a { … } flow mapping gets a hint to quote it', () => {
  const error = configError(() => parseConfigText('accounts:\n  - id: main\n    ai: { apiKey: ${DIFY_KEY}, app: chat }\n'));
  assert.equal(error.problems[0]?.line, 3);
  assert.match(error.problems[0]?.message ?? '', /quote values that use \$\{…\}/);
});

test('a missing file names the path and how to create one', () => {
  const missing = path.join(tmp, 'nope', 'mpgate.yaml');
  const error = configError(() => loadConfig(missing));
  assert.equal(error.code, 'CONFIG_NOT_FOUND');
  assert.deepEqual(error.lines(), [`config file not found: ${missing} — create one from examples/mpgate.yaml, or pass --config <file>`]);
  const directory = configError(() => loadConfig(tmp));
  assert.equal(directory.code, 'CONFIG_UNREADABLE');
  assert.deepEqual(directory.lines(), [`cannot read config file ${tmp}: it is a directory`]);
});

test('YAML numbers keep their exact text where text is expected (a Token 0123, an all-digit secret)', () => {
  const config = parseConfigText(`
server: { port: 8081 }
accounts:
  - id: main
    appId: wx2c2769f8efd9abc2
    appSecret: 00012345678901234567890123456789
    token: 0123
    ai: { baseUrl: "https://api.dify.ai/v1", apiKey: app-1, app: chat }
    fetchKeyword: 1
`);
  assert.equal(config.server.port, 8081);
  assert.equal(config.accounts[0]?.token, '0123');
  assert.equal(config.accounts[0]?.appSecret, '00012345678901234567890123456789');
  assert.deepEqual(config.accounts[0]?.fetchKeyword, ['1']);
});

test('empty values and an empty file mean "not set": defaults apply', () => {
  const config = parseConfigText('server:\n  adminToken:\nstore:\nlogging: ~\n');
  assert.equal(config.server.adminToken, undefined);
  assert.equal(config.store.driver, 'sqlite');
  assert.equal(config.logging.level, 'info');
  assert.deepEqual(parseConfigText('').accounts, []);
  assert.deepEqual(parseConfigText('# only a comment\n').accounts, []);
});

test('a relative store.path is resolved against the config file folder', () => {
  const dir = fs.mkdtempSync(path.join(tmp, 'site-'));
  const file = path.join(dir, 'mpgate.yaml');
  fs.writeFileSync(file, 'store:\n  path: ./state/gateway.db\n');
  assert.deepEqual(loadConfig(file).store, { driver: 'sqlite', path: path.join(dir, 'state', 'gateway.db') });
  fs.writeFileSync(file, 'store:\n  path: /var/lib/mpgate/mpgate.db\n');
  assert.deepEqual(loadConfig(file).store, { driver: 'sqlite', path: '/var/lib/mpgate/mpgate.db' });
});
