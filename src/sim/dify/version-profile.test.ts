import { test } from 'node:test';
import assert from 'node:assert/strict';
import { difyBehaviour, parseDifyVersion } from './version-profile.js';

test('the three version families of the reference get their login, cookie and stream behaviours', () => {
  const v191 = difyBehaviour('1.9.1');
  const v1101 = difyBehaviour('1.10.1');
  const v1141 = difyBehaviour('1.14.1');
  assert.deepEqual(
    [v191.loginFamily, v1101.loginFamily, v1141.loginFamily, difyBehaviour('1.11.1').loginFamily, difyBehaviour('1.11.2').loginFamily],
    ['body-tokens', 'cookies', 'cookies-base64-password', 'cookies', 'cookies-base64-password'],
  );
  assert.equal(difyBehaviour('1.9.2').loginFamily, 'cookies');
  assert.deepEqual([v191.pingFirstFrame, v1101.pingFirstFrame, v1141.pingFirstFrame], [false, false, true]);
  assert.deepEqual([v191.chatflowTerminalOrder, v1141.chatflowTerminalOrder], ['workflow_finished-first', 'message_end-first']);
  assert.deepEqual([v1101.chatflowBadConversation, difyBehaviour('1.13.0').chatflowBadConversation, v1141.chatflowBadConversation], ['not_found', 'hang', 'hang']);
  assert.equal(difyBehaviour('1.14.2').chatflowBadConversation, 'not_found');
  assert.deepEqual([v191.dslVersion, v1101.dslVersion, v1141.dslVersion, difyBehaviour('1.0.0').dslVersion], ['0.4.0', '0.5.0', '0.6.0', '0.1.5']);
  assert.deepEqual([v191.logoutMethod, v1101.logoutMethod], ['GET', 'POST']);
  assert.deepEqual([v1101.adminKeyBypassesCsrf, v1141.adminKeyBypassesCsrf], [false, true]);
  assert.deepEqual([difyBehaviour('1.0.0').deleteConversationStatus, v191.deleteConversationStatus], [200, 204]);
  // Stock flask-restx renders the concurrency limit as 400 in every family; 429 is an override.
  assert.deepEqual([v191.concurrencyLimitStatus, v1141.concurrencyLimitStatus], [400, 400]);
  assert.equal(difyBehaviour('1.14.1', { concurrencyLimitStatus: 429 }).concurrencyLimitStatus, 429);
});

test('versions are parsed strictly and pre-1.0 is refused with a clear message', () => {
  assert.deepEqual(parseDifyVersion('v1.14.1-beta.2'), { major: 1, minor: 14, patch: 1 });
  assert.deepEqual(parseDifyVersion('1.10'), { major: 1, minor: 10, patch: 0 });
  assert.throws(() => parseDifyVersion('latest'), /version "latest" is not of the form/);
  assert.throws(() => parseDifyVersion('0.15.3'), /older than 1\.0\.0/);
  assert.equal(difyBehaviour('1.14.1-rc1').version, '1.14.1');
});
