import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DifyAppParameters } from '../dify/service/app-info.js';
import { AppParameters } from './app-parameters.js';

const params = (opening: string): DifyAppParameters => ({ opening_statement: opening, user_input_form: [], file_upload: {} }) as unknown as DifyAppParameters;

test('one read serves concurrent callers and the whole TTL; after it, Dify is asked again', async () => {
  let clock = 0;
  let reads = 0;
  const cache = new AppParameters(async () => params(`v${++reads}`), { ttlMs: 1000, now: () => clock });
  const [a, b] = await Promise.all([cache.get(), cache.get()]);
  assert.equal(reads, 1, 'single flight');
  assert.equal(a?.openingStatement, 'v1');
  assert.equal(b, a);
  clock = 999;
  assert.equal((await cache.get())?.openingStatement, 'v1');
  clock = 1000;
  assert.equal((await cache.get())?.openingStatement, 'v2');
});

test('a failed refresh keeps the last good answer; with none, undefined and no new attempt before retryMs', async () => {
  let clock = 0;
  let fail = true;
  let reads = 0;
  const cache = new AppParameters(
    async () => {
      reads++;
      if (fail) throw new Error('dify down');
      return params('ok');
    },
    { ttlMs: 1000, retryMs: 200, now: () => clock },
  );
  assert.equal(await cache.get(), undefined);
  assert.equal(await cache.get(), undefined);
  assert.equal(reads, 1, 'not asked again within retryMs');
  clock = 200;
  fail = false;
  assert.equal((await cache.get())?.openingStatement, 'ok');
  clock = 1300;
  fail = true;
  assert.equal((await cache.get())?.openingStatement, 'ok', 'the last good answer survives a failed refresh');
  assert.equal(reads, 3);
});
