import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { encodeLoginPassword, jwtExpiry, loginFamilyFor } from './console-auth.js';
import { consoleApiBase } from './console-client.js';
import { parseDifyVersion, type DifyVersion } from './dify-version.js';

const v = (text: string): DifyVersion => parseDifyVersion(text) as DifyVersion;

describe('console login rules', () => {
  it('picks the login family from the version matrix (≤ 1.9.1 | 1.9.2–1.11.1 | ≥ 1.11.2)', () => {
    assert.equal(loginFamilyFor(v('1.0.0')), 'body-tokens');
    assert.equal(loginFamilyFor(v('1.9.1')), 'body-tokens');
    assert.equal(loginFamilyFor(v('1.9.2')), 'cookies');
    assert.equal(loginFamilyFor(v('1.10.1')), 'cookies');
    assert.equal(loginFamilyFor(v('1.11.1')), 'cookies');
    assert.equal(loginFamilyFor(v('1.11.2')), 'cookies-base64-password');
    assert.equal(loginFamilyFor(v('1.14.1')), 'cookies-base64-password');
    assert.equal(loginFamilyFor(v('2.0.0-beta.1')), 'cookies-base64-password');
  });

  it('Base64-encodes the UTF-8 password only from 1.11.2', () => {
    assert.equal(encodeLoginPassword('pässwörd密码', 'cookies-base64-password'), Buffer.from('pässwörd密码', 'utf8').toString('base64'));
    assert.equal(encodeLoginPassword('pässwörd密码', 'cookies'), 'pässwörd密码');
    assert.equal(encodeLoginPassword('pässwörd密码', 'body-tokens'), 'pässwörd密码');
  });

  it('reads a JWT expiry, and nothing from an opaque token', () => {
    const payload = Buffer.from(JSON.stringify({ user_id: 'u', exp: 1_700_000_000 })).toString('base64url');
    assert.equal(jwtExpiry(`eyJhbGciOiJIUzI1NiJ9.${payload}.sig`), 1_700_000_000_000);
    assert.equal(jwtExpiry('0123456789abcdef'), undefined);
    assert.equal(jwtExpiry('a.!!!.c'), undefined);
  });

  it('accepts the host root or the console API base', () => {
    assert.equal(consoleApiBase('http://h:1/'), 'http://h:1/console/api');
    assert.equal(consoleApiBase('http://h:1/console/api/'), 'http://h:1/console/api');
  });

  it('parses versions leniently and rejects non-versions', () => {
    assert.deepEqual(parseDifyVersion('v1.14.1'), { major: 1, minor: 14, patch: 1 });
    assert.deepEqual(parseDifyVersion('1.10'), { major: 1, minor: 10, patch: 0 });
    assert.equal(parseDifyVersion('latest'), undefined);
  });
});
