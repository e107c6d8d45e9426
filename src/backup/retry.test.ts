import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DifyApiError, DifyLoginError, DifyTransportError } from '../dify/errors.js';
import { describeFailure } from './failure-text.js';
import { isTransientFailure, RetriesExhausted, withRetry } from './retry.js';

const api = (status: number, code = 'x') => new DifyApiError({ status, code, message: 'm', endpoint: 'GET /apps/1/export' });

test('transient: network, timeout, 5xx, 429; permanent: 4xx, login errors, other errors', () => {
  assert.equal(isTransientFailure(new DifyTransportError('GET /apps', 'network', 'fetch failed')), true);
  assert.equal(isTransientFailure(new DifyTransportError('GET /apps', 'timeout', 'timed out')), true);
  assert.equal(isTransientFailure(new DifyTransportError('GET /apps', 'protocol', 'not JSON')), false);
  assert.equal(isTransientFailure(api(500)), true);
  assert.equal(isTransientFailure(api(503)), true);
  assert.equal(isTransientFailure(api(429)), true);
  assert.equal(isTransientFailure(api(400)), false);
  assert.equal(isTransientFailure(api(403)), false);
  assert.equal(isTransientFailure(new DifyLoginError({ reason: 'session_expired', message: 'gone' })), false);
  assert.equal(isTransientFailure(new Error('boom')), false);
});

test('withRetry retries transient failures, then succeeds', async () => {
  let calls = 0;
  const value = await withRetry(
    async () => {
      calls += 1;
      if (calls < 3) throw api(502);
      return 'ok';
    },
    { retries: 3, baseDelayMs: 1 },
  );
  assert.equal(value, 'ok');
  assert.equal(calls, 3);
});

test('withRetry gives up after retries+1 attempts and says so; a permanent error is not retried', async () => {
  let calls = 0;
  const failing = withRetry(
    async () => {
      calls += 1;
      throw api(500, 'internal_server_error');
    },
    { retries: 2, baseDelayMs: 1 },
  );
  await assert.rejects(failing, (err: unknown) => {
    assert.ok(err instanceof RetriesExhausted);
    assert.equal(err.attempts, 3);
    assert.equal(describeFailure(err), 'HTTP 500 internal_server_error: m (GET /apps/1/export) (gave up after 3 attempts)');
    return true;
  });
  assert.equal(calls, 3);

  calls = 0;
  await assert.rejects(
    withRetry(async () => {
      calls += 1;
      throw api(400, 'invalid_param');
    }),
    DifyApiError,
  );
  assert.equal(calls, 1);
});
