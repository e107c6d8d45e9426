import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactSecrets, redactUrl, redactedCause } from './redact.js';

const TOKEN = '86_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';

describe('redact', () => {
  it('removes every occurrence of each secret', () => {
    assert.equal(redactSecrets(`a ${TOKEN} b ${TOKEN}`, [TOKEN, undefined, '']), 'a *** b ***');
  });

  it('masks token and secret query parameters in URLs', () => {
    const url = redactUrl(`https://api.weixin.qq.com/cgi-bin/token?grant_type=client_credential&appid=wx1&secret=s3cr3t&access_token=${TOKEN}`);
    assert.ok(!url.includes(TOKEN) && !url.includes('s3cr3t'));
    assert.match(url, /appid=wx1/);
    assert.match(url, /secret=\*\*\*/);
  });

  it('copies a cause chain without the secrets or the original objects', () => {
    const inner = Object.assign(new Error(`connect ECONNREFUSED /x?access_token=${TOKEN}`), { code: 'ECONNREFUSED' });
    const outer = new TypeError('fetch failed', { cause: inner });
    const copy = redactedCause(outer, [TOKEN]);
    assert.equal(copy.name, 'TypeError');
    assert.notEqual(copy.cause, inner);
    const innerCopy = copy.cause as Error & { code?: string };
    assert.equal(innerCopy.code, 'ECONNREFUSED');
    assert.ok(!JSON.stringify({ m: copy.message, s: copy.stack, c: innerCopy.message, cs: innerCopy.stack }).includes(TOKEN));
  });
});
