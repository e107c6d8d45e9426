import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AppMode } from './dsl.js';

/**
 * The built-in DSL fixtures, one per mode (`fixtures/<mode>.yml`). They live next to this module in the source
 * tree; a build that does not copy them is found through the package's `src/` as a fallback.
 */

const CANDIDATE_DIRS = [new URL('./fixtures/', import.meta.url), new URL('../../../src/sim/dify/fixtures/', import.meta.url)];

let fixturesDir: string | undefined;

function findFixturesDir(): string {
  if (fixturesDir) return fixturesDir;
  for (const url of CANDIDATE_DIRS) {
    const dir = fileURLToPath(url);
    if (existsSync(`${dir}chat.yml`)) {
      fixturesDir = dir;
      return dir;
    }
  }
  throw new Error(
    `Dify simulator: the DSL fixtures (chat.yml, …) were not found in ${CANDIDATE_DIRS.map((u) => fileURLToPath(u)).join(' or ')}; ` +
      'the build must copy src/sim/dify/fixtures next to the compiled simulator.',
  );
}

const cache = new Map<AppMode, string>();

/** The YAML text of the built-in fixture for `mode`. */
export function fixtureDslYaml(mode: AppMode): string {
  const hit = cache.get(mode);
  if (hit !== undefined) return hit;
  const text = readFileSync(`${findFixturesDir()}${mode}.yml`, 'utf8');
  cache.set(mode, text);
  return text;
}
