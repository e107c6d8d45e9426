import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, describe, it } from 'node:test';
import { ApiCore, filenameOf } from './api-core.js';
import { WeChatApiError, WeChatTransportError } from './errors.js';
import { startScriptedServer, type ScriptedAnswer } from './test-support/scripted-server.js';

const TOKEN = '86_SeCrEtToKeN_abcdefghijklmnopqrstuvwxyz0123456789';

/** Everything an error exposes, for "the token is nowhere" assertions. */
function everything(error: unknown): string {
  const e = error as Error & { cause?: unknown };
  const causes: string[] = [];
  for (let c: unknown = e.cause; c instanceof Error; c = c.cause) causes.push(String(c), c.stack ?? '', JSON.stringify(c));
  return [String(e), e.stack ?? '', JSON.stringify(e), ...causes].join('\n');
}

async function withServer(answers: ScriptedAnswer[] | ((n: number) => ScriptedAnswer)) {
  let n = 0;
  const server = await startScriptedServer(() => {
    const i = n++;
    return typeof answers === 'function' ? answers(i) : (answers[Math.min(i, answers.length - 1)] ?? { json: {} });
  });
  after(() => server.close());
  return server;
}

function recordingSleep() {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
}

describe('ApiCore', () => {
  it('sends the token and query in the URL and JSON with real UTF-8 characters', async () => {
    const server = await withServer([{ json: { errcode: 0, errmsg: 'ok' } }]);
    const core = new ApiCore({ apiBase: `${server.apiBase}/` });
    const answer = await core.send({ method: 'POST', path: '/cgi-bin/x', query: { type: 'image', skip: undefined }, json: { text: '你好' }, accessToken: TOKEN });
    assert.deepEqual(answer, { kind: 'json', body: { errcode: 0, errmsg: 'ok' } });
    const [req] = server.requests;
    assert.equal(req?.path, '/cgi-bin/x');
    assert.equal(req?.query.get('access_token'), TOKEN);
    assert.equal(req?.query.get('type'), 'image');
    assert.equal(req?.query.has('skip'), false);
    assert.match(String(req?.headers['content-type']), /application\/json/);
    assert.equal(req?.body.toString('utf8'), '{"text":"你好"}');
  });

  it('keeps a path prefix of the API base (proxies)', async () => {
    const server = await withServer([{ json: { ok: 1 } }]);
    await new ApiCore({ apiBase: `${server.apiBase}/wx-proxy` }).send({ method: 'GET', path: '/cgi-bin/y' });
    assert.equal(server.requests[0]?.path, '/wx-proxy/cgi-bin/y');
  });

  it('refuses an API base without a scheme', () => {
    assert.throws(() => new ApiCore({ apiBase: 'api.weixin.qq.com' }), /must start with http/);
  });

  it('throws WeChatApiError with errcode, clean errmsg, rid, path and hint', async () => {
    const server = await withServer([{ json: { errcode: 48001, errmsg: 'api unauthorized rid: 65d56251-31349bbf-5f45a190' } }]);
    const error = await new ApiCore({ apiBase: server.apiBase }).send({ method: 'POST', path: '/cgi-bin/message/custom/send', json: {}, accessToken: TOKEN }).then(
      () => assert.fail('expected an error'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof WeChatApiError);
    assert.equal(error.errcode, 48001);
    assert.equal(error.errmsg, 'api unauthorized');
    assert.equal(error.rid, '65d56251-31349bbf-5f45a190');
    assert.equal(error.path, '/cgi-bin/message/custom/send');
    assert.match(error.hint ?? '', /unverified/);
    assert.match(error.message, /^WeChat \/cgi-bin\/message\/custom\/send failed: 48001 api unauthorized \(rid 65d56251-31349bbf-5f45a190\) — /);
  });

  it('accepts an errcode sent as a string', async () => {
    const server = await withServer([{ json: { errcode: '45009', errmsg: 'reach max api daily quota limit' } }]);
    await assert.rejects(new ApiCore({ apiBase: server.apiBase }).send({ method: 'GET', path: '/z' }), (e: unknown) => e instanceof WeChatApiError && e.errcode === 45009);
  });

  it('retries -1 with 200·2^n backoff and succeeds on the third call', async () => {
    const server = await withServer([{ json: { errcode: -1, errmsg: 'system error' } }, { json: { errcode: -1, errmsg: 'system error' } }, { json: { media_id: 'm' } }]);
    const { delays, sleep } = recordingSleep();
    const answer = await new ApiCore({ apiBase: server.apiBase, sleep }).send({ method: 'GET', path: '/busy' });
    assert.deepEqual(answer, { kind: 'json', body: { media_id: 'm' } });
    assert.equal(server.requests.length, 3);
    assert.deepEqual(delays, [200, 400]);
  });

  it('gives up after 3 retries of -1 (4 calls)', async () => {
    const server = await withServer([{ json: { errcode: -1, errmsg: 'system error' } }]);
    const { delays, sleep } = recordingSleep();
    await assert.rejects(new ApiCore({ apiBase: server.apiBase, sleep }).send({ method: 'GET', path: '/busy' }), (e: unknown) => e instanceof WeChatApiError && e.errcode === -1);
    assert.equal(server.requests.length, 4);
    assert.deepEqual(delays, [200, 400, 800]);
  });

  it('does not retry 45009 or any other code', async () => {
    for (const errcode of [45009, 45011, 40164, 45015]) {
      const server = await withServer([{ json: { errcode, errmsg: 'x' } }]);
      const { delays, sleep } = recordingSleep();
      await assert.rejects(new ApiCore({ apiBase: server.apiBase, sleep }).send({ method: 'GET', path: '/q' }), WeChatApiError);
      assert.equal(server.requests.length, 1, `errcode ${errcode}`);
      assert.deepEqual(delays, []);
    }
  });

  it('removes the token from an errmsg that echoes it', async () => {
    const server = await withServer([{ json: { errcode: 40014, errmsg: `invalid access_token ${TOKEN} rid: 1-2-3` } }]);
    const error = await new ApiCore({ apiBase: server.apiBase }).send({ method: 'GET', path: '/e', accessToken: TOKEN }).catch((e: unknown) => e);
    assert.ok(error instanceof WeChatApiError);
    assert.ok(!everything(error).includes(TOKEN));
    assert.equal(error.errmsg, 'invalid access_token ***');
  });

  it('turns a non-JSON answer into a WeChatTransportError (not retried)', async () => {
    const server = await withServer([{ text: '<html>502 Bad Gateway</html>', status: 502 }]);
    await assert.rejects(new ApiCore({ apiBase: server.apiBase }).send({ method: 'GET', path: '/html' }), (e: unknown) => {
      assert.ok(e instanceof WeChatTransportError);
      assert.match(e.message, /^WeChat \/html: expected a JSON answer, got HTTP 502 text\/html/);
      return true;
    });
    assert.equal(server.requests.length, 1);
  });

  it('times out per call, and the token is in no part of the error', async () => {
    const server = await withServer([{ hang: true }]);
    const error = await new ApiCore({ apiBase: server.apiBase, timeoutMs: 5000 })
      .send({ method: 'GET', path: '/slow', accessToken: TOKEN, timeoutMs: 100 })
      .catch((e: unknown) => e);
    assert.ok(error instanceof WeChatTransportError);
    assert.match(error.message, /no answer within 100 ms/);
    assert.ok(!everything(error).includes(TOKEN));
  });

  it('reports a refused connection without the token or the secret, also in the cause', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const p = (probe.address() as { port: number }).port;
        probe.close(() => resolve(p));
      });
    });
    const error = await new ApiCore({ apiBase: `http://127.0.0.1:${port}` })
      .send({ method: 'GET', path: '/cgi-bin/token', query: { secret: 'the-app-secret' }, secrets: ['the-app-secret'], accessToken: TOKEN })
      .catch((e: unknown) => e);
    assert.ok(error instanceof WeChatTransportError);
    assert.match(error.message, /ECONNREFUSED/);
    assert.ok(error.cause instanceof Error);
    const text = everything(error);
    assert.ok(!text.includes(TOKEN) && !text.includes('the-app-secret'), text);
  });

  it('returns bytes for a binary answer and errors for a JSON error on a binary call', async () => {
    const image = Buffer.from([0xff, 0xd8, 0xff, 0x00, 1, 2, 3]);
    const server = await withServer([
      { bytes: image, contentType: 'image/jpeg', headers: { 'content-disposition': 'attachment; filename="a b.jpg"' } },
      { json: { video_url: 'http://v/1.mp4' }, contentType: 'text/plain' },
      { json: { errcode: 40007, errmsg: 'invalid media_id' }, contentType: 'text/plain' },
    ]);
    const core = new ApiCore({ apiBase: server.apiBase });
    assert.deepEqual(await core.send({ method: 'GET', path: '/m', binary: true }), { kind: 'bytes', data: image, contentType: 'image/jpeg', filename: 'a b.jpg' });
    assert.deepEqual(await core.send({ method: 'GET', path: '/m', binary: true }), { kind: 'json', body: { video_url: 'http://v/1.mp4' } });
    await assert.rejects(core.send({ method: 'GET', path: '/m', binary: true }), (e: unknown) => e instanceof WeChatApiError && e.errcode === 40007);
  });

  it('reads both Content-Disposition filename forms', () => {
    assert.equal(filenameOf('attachment; filename="x.jpg"'), 'x.jpg');
    assert.equal(filenameOf("attachment; filename*=UTF-8''%E5%9B%BE.png"), '图.png');
    assert.equal(filenameOf(null), undefined);
  });
});
