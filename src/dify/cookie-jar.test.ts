import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CookieJar } from './cookie-jar.js';

describe('CookieJar', () => {
  it('keeps __Host- and Secure cookies by name and sends them back over plain http', () => {
    const jar = new CookieJar();
    const headers = new Headers();
    headers.append('Set-Cookie', '__Host-access_token=abc.def; Max-Age=3600; Secure; HttpOnly; Path=/; SameSite=Lax');
    headers.append('Set-Cookie', '__Host-csrf_token=x.y.z; Max-Age=3600; Secure; Path=/; SameSite=Lax');
    headers.append('Set-Cookie', 'refresh_token=r1; Domain=example.com; Max-Age=2592000; HttpOnly; Path=/');
    jar.absorb(headers, 1_000);
    assert.equal(jar.header(1_000), '__Host-access_token=abc.def; __Host-csrf_token=x.y.z; refresh_token=r1');
    assert.deepEqual(jar.find(['__Host-csrf_token', 'csrf_token'], 1_000), { name: '__Host-csrf_token', value: 'x.y.z' });
  });

  it('replaces a cookie of the same name, and deletes on Max-Age=0 or a past Expires', () => {
    const jar = new CookieJar();
    jar.set('access_token=old; Max-Age=60', 0);
    jar.set('access_token=new; Max-Age=60', 0);
    assert.equal(jar.get('access_token', 0), 'new');
    jar.set('access_token=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/', 0);
    assert.equal(jar.get('access_token', 0), undefined);
    jar.set('csrf_token=c; Expires=Thu, 01 Jan 1970 00:00:00 GMT', 5_000);
    assert.equal(jar.header(5_000), undefined);
  });

  it('lets Max-Age win over Expires and expires cookies with time', () => {
    const jar = new CookieJar();
    jar.set('a=1; Max-Age=10; Expires=Thu, 01 Jan 1970 00:00:00 GMT', 0);
    assert.equal(jar.get('a', 9_999), '1');
    assert.equal(jar.get('a', 10_000), undefined);
  });

  it('strips quotes and ignores malformed lines', () => {
    const jar = new CookieJar();
    jar.set('q="quoted"', 0);
    jar.set('=novalue', 0);
    jar.set('garbage', 0);
    assert.equal(jar.header(0), 'q=quoted');
  });
});
