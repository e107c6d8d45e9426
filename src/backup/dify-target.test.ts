import { test } from 'node:test';
import assert from 'node:assert/strict';
import { publicUrl, resolveDifyTarget } from './dify-target.js';
import { BackupUsageError } from './errors.js';

const env = { PW: 's3cret', KEY: 'admin-key' };

test('email + password env, or admin key env + workspace', () => {
  assert.deepEqual(resolveDifyTarget({ url: 'https://dify.example.com', email: 'a@b.c', passwordEnv: 'PW' }, env), {
    url: 'https://dify.example.com',
    email: 'a@b.c',
    password: 's3cret',
  });
  assert.deepEqual(resolveDifyTarget({ url: 'http://127.0.0.1:5001', apiKeyEnv: 'KEY', workspace: 'ws' }, env), {
    url: 'http://127.0.0.1:5001',
    adminApiKey: 'admin-key',
    workspaceId: 'ws',
  });
});

test('each incomplete or contradictory combination is a usage error that says what to do', () => {
  const cases: Array<[Parameters<typeof resolveDifyTarget>[0], RegExp]> = [
    [{ url: '' }, /--url is required/],
    [{ url: 'dify.example.com', email: 'a', passwordEnv: 'PW' }, /--url must be an http:\/\/ or https:\/\/ URL/],
    [{ url: 'http://d' }, /credentials are required/],
    [{ url: 'http://d', email: 'a@b.c' }, /--email needs --password-env <VAR>/],
    [{ url: 'http://d', passwordEnv: 'PW' }, /--password-env needs --email/],
    [{ url: 'http://d', email: 'a', passwordEnv: 'PW', apiKeyEnv: 'KEY' }, /not both/],
    [{ url: 'http://d', apiKeyEnv: 'KEY' }, /--api-key-env needs --workspace/],
    [{ url: 'http://d', email: 'a', passwordEnv: 'PW', workspace: 'ws' }, /--workspace is only used with --api-key-env/],
    [{ url: 'http://d', email: 'a', passwordEnv: 'NOPE' }, /environment variable NOPE \(named by --password-env\) is not set or empty/],
    [{ url: 'http://d', email: 'a', passwordEnv: 'my password!' }, /takes the NAME of an environment variable/],
  ];
  for (const [spec, message] of cases) {
    assert.throws(() => resolveDifyTarget(spec, env), (err: unknown) => err instanceof BackupUsageError && message.test(err.message), `${JSON.stringify(spec)} → ${message}`);
  }
});

test('a usage error never contains the value of a secret', () => {
  try {
    resolveDifyTarget({ url: 'http://d', email: 'a', passwordEnv: 'PW', apiKeyEnv: 'KEY' }, env);
    assert.fail('should throw');
  } catch (err) {
    assert.ok(!(err as Error).message.includes('s3cret') && !(err as Error).message.includes('admin-key'));
  }
});

test('the URL recorded in a manifest carries no user info, query or trailing slash', () => {
  assert.equal(publicUrl('https://user:pw@dify.example.com/console/api/?token=x#f'), 'https://dify.example.com/console/api');
});
