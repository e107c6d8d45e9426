import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseErrmsg } from './errmsg.js';
import { hintFor } from './error-hints.js';

describe('parseErrmsg', () => {
  it('splits a modern rid suffix off', () => {
    assert.deepEqual(parseErrmsg('invalid media_id rid: 65d56251-31349bbf-5f45a190'), {
      errmsg: 'invalid media_id',
      rid: '65d56251-31349bbf-5f45a190',
    });
  });

  it('keeps the text before the rid of the long 40001 message', () => {
    const raw =
      'invalid credential, access_token is invalid or not latest, could get access_token by getStableAccessToken, more details at https://mmbizurl.cn/s/JtxxFh33r rid: 6530a3c2-1b2c3d4e-5f6a7b8c';
    const { errmsg, rid } = parseErrmsg(raw);
    assert.equal(errmsg, 'invalid credential, access_token is invalid or not latest, could get access_token by getStableAccessToken, more details at https://mmbizurl.cn/s/JtxxFh33r');
    assert.equal(rid, '6530a3c2-1b2c3d4e-5f6a7b8c');
  });

  it('takes an old-style hint as the rid when there is no rid', () => {
    assert.deepEqual(parseErrmsg('invalid ip 1.2.3.4, not in whitelist hint: [AbCd0123]'), {
      errmsg: 'invalid ip 1.2.3.4, not in whitelist',
      rid: 'AbCd0123',
    });
  });

  it('strips "hint: [...] rid: ..." and prefers the rid', () => {
    assert.deepEqual(parseErrmsg('system error hint: [xyz] rid: 65600f20-75e4a0e4-340ade0d'), {
      errmsg: 'system error',
      rid: '65600f20-75e4a0e4-340ade0d',
    });
  });

  it('leaves a plain errmsg alone', () => {
    assert.deepEqual(parseErrmsg('ok'), { errmsg: 'ok', rid: undefined });
    assert.deepEqual(parseErrmsg('invalid grid: x'), { errmsg: 'invalid grid: x', rid: undefined });
  });
});

describe('hintFor', () => {
  it('names the egress IP for 40164', () => {
    const hint = hintFor(40164, 'invalid ip 47.98.45.15 ipv6 ::ffff:47.98.45.15, not in whitelist', '/cgi-bin/stable_token');
    assert.match(hint ?? '', /add this server's egress IP \(47\.98\.45\.15\) to the IP whitelist/);
  });

  it('explains 48001, 45009 and 45047', () => {
    assert.match(hintFor(48001, 'api unauthorized', '/cgi-bin/message/custom/send') ?? '', /unverified/);
    assert.match(hintFor(45009, 'reach max api daily quota limit', '/cgi-bin/menu/get') ?? '', /daily API quota.*not retried/);
    assert.match(hintFor(45047, 'out of response count limit', '/cgi-bin/message/custom/send') ?? '', /5 messages/);
  });

  it('says "check the secret" for 40001 from the token endpoint, not "refresh"', () => {
    assert.match(hintFor(40001, 'invalid credential', '/cgi-bin/token') ?? '', /appSecret/);
    assert.match(hintFor(40001, 'invalid credential', '/cgi-bin/menu/get') ?? '', /even after a refresh/);
  });

  it('has nothing to add for unknown codes', () => {
    assert.equal(hintFor(99999, 'whatever', '/cgi-bin/x'), undefined);
  });
});
