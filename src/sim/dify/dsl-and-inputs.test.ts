import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { appRuntimeConfig } from './app-config.js';
import { appSourceFromDsl, declaredDslVersion, DslImportError, exportDslYaml, importStatusFor, parseDslYaml } from './dsl.js';
import { fixtureDslYaml } from './fixtures.js';
import { DifyHttpError } from './http-errors.js';
import { prepareUserInputs } from './input-validation.js';
import { APP_MODES } from './dsl.js';

test('every mode fixture parses into an app source whose export is stable and key-sorted', () => {
  for (const mode of APP_MODES) {
    const source = appSourceFromDsl(parseDslYaml(fixtureDslYaml(mode)));
    assert.equal(source.meta.mode, mode);
    const once = exportDslYaml(source, { includeSecret: true, dslVersion: '0.6.0' });
    const twice = exportDslYaml(appSourceFromDsl(parseDslYaml(once)), { includeSecret: true, dslVersion: '0.6.0' });
    assert.equal(twice, once, `${mode} export is a fixed point`);
    const topKeys = Object.keys(parse(once) as object);
    assert.deepEqual(topKeys, [...topKeys].sort(), `${mode} top-level keys sorted`);
  }
});

test('export without include_secret blanks secret environment variables and strips credential ids', () => {
  const source = appSourceFromDsl(parseDslYaml(fixtureDslYaml('advanced-chat')));
  const secret = exportDslYaml(source, { includeSecret: true, dslVersion: '0.6.0' });
  const safe = exportDslYaml(source, { includeSecret: false, dslVersion: '0.6.0' });
  assert.match(secret, /sim-weather-secret-123/);
  assert.doesNotMatch(safe, /sim-weather-secret-123/);
  assert.match(safe, /value: mpgate/, 'non-secret variables are kept');
  const agent = appSourceFromDsl(parseDslYaml(fixtureDslYaml('agent-chat')));
  const tools = (agent.modelConfig?.agent_mode as { tools: Array<Record<string, unknown>> }).tools;
  (tools[0] as Record<string, unknown>).credential_id = 'cred-1';
  assert.match(exportDslYaml(agent, { includeSecret: true, dslVersion: '0.6.0' }), /credential_id: cred-1/);
  assert.doesNotMatch(exportDslYaml(agent, { includeSecret: false, dslVersion: '0.6.0' }), /credential_id/);
});

test('import version rules of 1.4+ and of 1.0–1.3', () => {
  const cases: Array<[string, string, string]> = [
    ['0.6.0', '0.6.0', 'completed'],
    ['0.6.1', '0.6.0', 'pending'],
    ['0.5.0', '0.6.0', 'completed-with-warnings'],
    ['0.6.0', '0.4.0', 'pending'],
    ['1.0.0', '0.6.0', 'pending'],
    ['x.y', '0.6.0', 'failed'],
  ];
  for (const [imported, current, status] of cases) assert.equal(importStatusFor(imported, current, '1.4+'), status, `${imported} into ${current}`);
  assert.equal(importStatusFor('0.1.4', '0.1.5', 'pre-1.4'), 'completed-with-warnings');
  assert.equal(importStatusFor('0.2.0', '0.1.5', 'pre-1.4'), 'pending');
  assert.equal(declaredDslVersion({}), '0.1.0');
  assert.throws(() => declaredDslVersion({ version: 0.1 }), /Invalid version type, expected str, got <class 'float'>/);
  assert.throws(() => appSourceFromDsl({ kind: 'app' }), (e: unknown) => e instanceof DslImportError && e.message === 'Missing app data in YAML content');
  assert.throws(() => parseDslYaml('a: [1'), /^Error: Invalid YAML format: /);
});

function inputError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof DifyHttpError);
    return `${e.status} ${e.code} ${e.message}`;
  }
  throw new Error('expected an input error');
}

test('inputs are validated like Dify: declared only, required, types, options, max_length in code points, NUL removed', () => {
  const vars = appRuntimeConfig(appSourceFromDsl(parseDslYaml(fixtureDslYaml('workflow')))).inputs;
  assert.deepEqual(
    vars.map((v) => [v.variable, v.type, v.required, v.max_length]),
    [
      ['text', 'paragraph', true, 1000],
      ['language', 'select', false, 48],
    ],
  );
  assert.deepEqual(prepareUserInputs(vars, { text: 'a\0b', extra: 'dropped' }, true), { text: 'ab', language: null });
  assert.equal(inputError(() => prepareUserInputs(vars, { language: 'English' }, true)), '400 invalid_param text is required in input form');
  assert.equal(inputError(() => prepareUserInputs(vars, { text: null }, true)), '400 invalid_param text is required in input form');
  assert.deepEqual(prepareUserInputs(vars, { text: '' }, true), { text: '', language: null }, 'an empty string passes the required check');
  assert.equal(inputError(() => prepareUserInputs(vars, { text: 5 }, true)), "400 invalid_param (type 'paragraph') text in input form must be a string");
  assert.equal(
    inputError(() => prepareUserInputs(vars, { text: 'x', language: 'Deutsch' }, true)),
    "400 invalid_param language in input form must be one of the following: ['English', '中文', '日本語']",
  );
  assert.equal(inputError(() => prepareUserInputs(vars, { text: 'é'.repeat(1001) }, true)), '400 invalid_param text in input form must be less than 1000 characters');
  assert.deepEqual(prepareUserInputs(vars, { text: '😀'.repeat(1000) }, true).text, '😀'.repeat(1000), 'exactly max_length code points passes');

  const numbers = [{ type: 'number' as const, variable: 'n', label: 'n', required: false }];
  assert.deepEqual(prepareUserInputs(numbers, { n: ' 12 ' }, false), { n: 12 });
  assert.deepEqual(prepareUserInputs(numbers, { n: '1.5' }, false), { n: 1.5 });
  assert.deepEqual(prepareUserInputs(numbers, { n: '  ' }, false), { n: null });
  assert.equal(inputError(() => prepareUserInputs(numbers, { n: 'abc' }, false)), '400 invalid_param n in input form must be a valid number');
  assert.match(inputError(() => prepareUserInputs(numbers, { n: true }, false)), /^500 internal_server_error /);
  const box = [{ type: 'checkbox' as const, variable: 'b', label: 'b', required: false }];
  assert.deepEqual(prepareUserInputs(box, { b: 'Yes' }, false), { b: true });
  assert.deepEqual(prepareUserInputs(box, { b: 0 }, false), { b: false });
});
