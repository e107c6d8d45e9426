import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeMatches, sequenceRatio, withNotFoundHelp } from './close-matches.js';
import { parseCookieHeader, serializeSetCookie } from './cookies.js';
import { signJwt, verifyJwt } from './jwt.js';
import { multipartBoundary, parseMultipart } from './multipart.js';
import { pydanticMessage } from './pydantic-errors.js';
import { pythonJsonDumps, pythonRepr } from './python-json.js';

test('pythonJsonDumps matches json.dumps: spaced separators, \\uXXXX escapes, surrogate pairs', () => {
  assert.equal(pythonJsonDumps({ a: '你好', b: [1, 2.5, null, true] }), '{"a": "\\u4f60\\u597d", "b": [1, 2.5, null, true]}');
  assert.equal(pythonJsonDumps('😀'), '"\\ud83d\\ude00"');
  assert.equal(pythonJsonDumps('a"b\\c\n\u007f'), '"a\\"b\\\\c\\n\\u007f"');
  assert.equal(pythonJsonDumps({}), '{}');
  assert.equal(pythonJsonDumps({ skip: undefined, k: [] }), '{"k": []}');
});

test('pythonRepr matches repr(): single quotes, True/False/None', () => {
  assert.equal(pythonRepr({ query: 'hi', n: null, ok: true }), "{'query': 'hi', 'n': None, 'ok': True}");
  assert.equal(pythonRepr("it's"), '"it\'s"');
});

test('pydantic messages have the count line, loc, type, input and docs link', () => {
  const msg = pydanticMessage('ChatRequestPayload', [{ loc: 'inputs', msg: 'Field required', type: 'missing', input: { query: 'hi' } }]);
  assert.equal(
    msg,
    "1 validation error for ChatRequestPayload\ninputs\n  Field required [type=missing, input_value={'query': 'hi'}, input_type=dict]\n    For further information visit https://errors.pydantic.dev/2.11/v/missing",
  );
  const two = pydanticMessage('X', [
    { loc: 'a', msg: 'm', type: 't', input: 'x'.repeat(80) },
    { loc: 'b', msg: 'm', type: 't', input: 1 },
  ]);
  assert.match(two, /^2 validation errors for X\n/);
  assert.match(two, /input_value='x{24}\.\.\.x{23}'/);
});

test('difflib ratio and get_close_matches agree with the Python documentation examples', () => {
  assert.equal(sequenceRatio('abcd', 'bcde'), 0.75);
  assert.deepEqual(closeMatches('appel', ['ape', 'apple', 'peach', 'puppy']), ['apple', 'ape']);
  assert.deepEqual(closeMatches('wheel', ['while', 'wheel', 'whale', 'why']), ['wheel', 'while', 'whale']);
});

test('404 help lists the closest rules with their placeholders, or leaves the message alone', () => {
  const rules = ['/v1/chat-messages', '/v1/chat-messages/<string:task_id>/stop', '/v1/info'];
  assert.equal(
    withNotFoundHelp('Conversation Not Exists.', '/v1/chat-messages', rules),
    'Conversation Not Exists. You have requested this URI [/v1/chat-messages] but did you mean /v1/chat-messages or /v1/chat-messages/<string:task_id>/stop ?',
  );
  assert.equal(withNotFoundHelp('Nope.', '/zzzzzzzzzzzzzzzzzzzzzzzz', rules), 'Nope.');
});

test('JWT: signed tokens verify; tampered or expired ones do not', () => {
  const t = signJwt({ user_id: 'u', exp: 2_000_000_000 }, 'k');
  assert.deepEqual(verifyJwt(t, 'k', Date.now()), { ok: true, payload: { user_id: 'u', exp: 2_000_000_000 } });
  assert.deepEqual(verifyJwt(t, 'other', Date.now()), { ok: false, reason: 'invalid' });
  assert.deepEqual(verifyJwt(t, 'k', 2_000_000_000_000), { ok: false, reason: 'expired' });
  assert.deepEqual(verifyJwt('a.b', 'k', 0), { ok: false, reason: 'invalid' });
});

test('cookies: header parsing and Set-Cookie attributes as Dify sets them', () => {
  const m = parseCookieHeader('a=1; __Host-csrf_token="x.y"; a=2');
  assert.equal(m.get('a'), '1');
  assert.equal(m.get('__Host-csrf_token'), 'x.y');
  assert.equal(
    serializeSetCookie('__Host-access_token', 'v', { maxAgeSeconds: 3600, httpOnly: true, secure: true }),
    '__Host-access_token=v; Max-Age=3600; Secure; HttpOnly; Path=/; SameSite=Lax',
  );
  assert.match(serializeSetCookie('csrf_token', '', { maxAgeSeconds: 0, httpOnly: false, secure: false, domain: 'example.com' }), /^csrf_token=; Domain=example\.com; Expires=Thu, 01 Jan 1970/);
});

test('multipart: parts keep their own Content-Type (or its absence), filenames and bytes', () => {
  const body = Buffer.concat([
    Buffer.from('--XX\r\nContent-Disposition: form-data; name="user"\r\n\r\nalice\r\n'),
    Buffer.from('--XX\r\nContent-Disposition: form-data; name="file"; filename="a b.png"\r\nContent-Type: image/png\r\n\r\n'),
    Buffer.from([0, 1, 2, 13, 10, 255]),
    Buffer.from('\r\n--XX\r\nContent-Disposition: form-data; name="raw"; filename="x.bin"\r\n\r\nzz\r\n--XX--\r\n'),
  ]);
  assert.equal(multipartBoundary('multipart/form-data; boundary="XX"'), 'XX');
  assert.equal(multipartBoundary('application/json'), undefined);
  const parts = parseMultipart(body, 'XX');
  assert.equal(parts.length, 3);
  assert.deepEqual([parts[0]?.name, parts[0]?.filename, parts[0]?.data.toString()], ['user', undefined, 'alice']);
  assert.deepEqual([parts[1]?.filename, parts[1]?.contentType, [...(parts[1]?.data ?? [])]], ['a b.png', 'image/png', [0, 1, 2, 13, 10, 255]]);
  assert.equal(parts[2]?.contentType, undefined);
  assert.throws(() => parseMultipart(Buffer.from('garbage'), 'XX'), TypeError);
});
