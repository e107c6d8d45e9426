import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDifySimulator, type DifySimulator, type SimAppInfo, type SimCall } from './index.js';
import { postJson } from './test-support/http.js';

/** The `/_sim/` inspection/control API mirrors the programmatic handle (for simulators run from the CLI). */

let sim: DifySimulator;
before(async () => {
  sim = await startDifySimulator();
});
after(() => sim.close());

const control = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
  const res = await fetch(`${sim.controlBase}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  assert.ok(res.status < 300, `${method} ${path} → ${res.status}`);
  return (await res.json()) as T;
};

test('summary, scripting, calls, version switch, seeding and reset over HTTP', async () => {
  const summary = await control<{ version: string; apps: SimAppInfo[]; serviceBase: string; credentials: { email: string } }>('GET', '/');
  assert.deepEqual([summary.version, summary.serviceBase, summary.credentials.email, summary.apps.length], ['1.14.1', sim.serviceBase, sim.credentials.email, 5]);
  const chat = summary.apps.find((a) => a.mode === 'chat') as SimAppInfo;

  await control('PUT', `/apps/${chat.apiKey}/script`, { rules: [{ match: { regex: '^hello', flags: 'i' }, answer: 'Scripted hi!' }] });
  const answer = (await (await postJson(`${sim.serviceBase}/chat-messages`, chat.apiKey, { query: 'Hello?', inputs: {}, user: 'remote' })).json()) as { answer: string };
  assert.equal(answer.answer, 'Scripted hi!');
  const calls = await control<SimCall[]>('GET', `/calls?kind=generation&app=${chat.id}&user=remote`);
  assert.deepEqual(calls.map((c) => [c.path, c.query, c.status]), [['/v1/chat-messages', 'Hello?', 200]]);

  await control('PUT', '/version', { version: '1.9.1', behaviour: { concurrencyLimitStatus: 429 } });
  assert.equal((await fetch(`${sim.serviceBase}/`)).headers.get('x-version'), '1.9.1');
  assert.equal(sim.behaviour().concurrencyLimitStatus, 429);

  const seeded = await control<SimAppInfo[]>('POST', '/apps/seed', { count: 3 });
  assert.equal(seeded.length, 3);
  const added = await control<SimAppInfo>('POST', '/apps', { mode: 'workflow', name: 'From control', outputName: 'result' });
  assert.equal(added.name, 'From control');
  await control('PUT', `/apps/${added.id}/export-failure`, { failure: '5xx' });
  const admin = { Authorization: `Bearer ${sim.adminApiKey}`, 'X-WORKSPACE-ID': sim.workspaceId };
  assert.equal((await fetch(`${sim.consoleBase}/apps/${added.id}/export`, { headers: admin })).status, 500);

  const afterReset = await control<{ apps: SimAppInfo[] }>('POST', '/reset');
  assert.deepEqual(afterReset.apps.map((a) => [a.id, a.apiKey]), summary.apps.map((a) => [a.id, a.apiKey]), 'the initial apps come back with their ids and keys');
  assert.deepEqual(await control('GET', '/calls'), []);
  const echoed = (await (await postJson(`${sim.serviceBase}/chat-messages`, chat.apiKey, { query: 'Hello?', inputs: {}, user: 'remote' })).json()) as { answer: string };
  assert.equal(echoed.answer, 'Hello?', 'scripts are cleared by reset');

  const unknownKey = 'app-ABCDEFGHIJKLMNOPQRSTUVWX';
  const bad = await fetch(`${sim.controlBase}/apps/${unknownKey}/script`, { method: 'PUT', body: '{}' });
  assert.equal(bad.status, 400);
  const text = ((await bad.json()) as { error: string }).error;
  assert.match(text, /no app with id, API key or name "app-ABCD…"/);
  assert.ok(!text.includes(unknownKey), 'an API key is not echoed back in full');
});
