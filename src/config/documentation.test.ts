import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from './load-config.js';
import { configSchema } from './schema.js';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const docs = fs.readFileSync(path.join(repoRoot, 'docs', 'configuration.md'), 'utf8');
const examplePath = path.join(repoRoot, 'examples', 'mpgate.yaml');
const example = fs.readFileSync(examplePath, 'utf8');

interface LooseDef {
  type: string;
  shape?: Record<string, { _zod: { def: LooseDef } }>;
  innerType?: { _zod: { def: LooseDef } };
  in?: { _zod: { def: LooseDef } };
  out?: { _zod: { def: LooseDef } };
  element?: { _zod: { def: LooseDef } };
}

/** Every key the schema accepts, as `section.key` paths (`accounts[].ai.apiKey`), read from the schema itself. */
function schemaKeys(def: LooseDef, prefix: string): string[] {
  const inner = def.innerType ?? def.out ?? def.in;
  if (def.type === 'pipe' && def.out?._zod.def.type === 'transform') return def.in ? schemaKeys(def.in._zod.def, prefix) : [];
  if (def.shape) {
    return Object.entries(def.shape).flatMap(([key, child]) => {
      const keyPath = prefix === '' ? key : `${prefix}.${key}`;
      return [keyPath, ...schemaKeys(child._zod.def, keyPath)];
    });
  }
  if (def.type === 'array' && def.element) return schemaKeys(def.element._zod.def, `${prefix}[]`);
  if (inner && def.type !== 'transform') return schemaKeys(inner._zod.def, prefix);
  return [];
}

const KEYS = schemaKeys((configSchema as unknown as { _zod: { def: LooseDef } })._zod.def, '');

test('the schema walk finds the keys (sanity check of the test itself)', () => {
  for (const key of ['server.port', 'store.driver', 'delivery.safetyMarginMs', 'accounts[].encodingAESKey', 'accounts[].ai.inputVariable', 'accounts[].messages.welcome']) {
    assert.ok(KEYS.includes(key), `${key} not found in ${KEYS.join(', ')}`);
  }
});

test('docs/configuration.md documents every key of the schema', () => {
  // A key is documented in a table row (`key`) or, for a section, by its heading (`accounts[].ai`).
  const documented = (key: string) => [key.split('.').at(-1), key, `${key}[]`].some((name) => docs.includes(`\`${name}\``));
  const missing = KEYS.filter((key) => !documented(key));
  assert.deepEqual(missing, []);
});

test('examples/mpgate.yaml shows every key of the schema, and is valid', () => {
  const missing = KEYS.filter((key) => !new RegExp(`^\\s*(# )?(- )?${key.split('.').at(-1)}:`, 'm').test(example));
  assert.deepEqual(missing, []);
  const config = loadConfig(examplePath, { env: { WX_TOKEN: 'exampletoken', DIFY_API_KEY: 'app-example' } });
  assert.deepEqual(config.accounts.map((a) => a.id), ['main']);
});
