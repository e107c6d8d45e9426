import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildProgram } from './program.js';
import { VERSION } from '../version.js';

test('mpgate --help lists every command group of the design', () => {
  const help = buildProgram().helpInformation();
  for (const group of ['serve', 'demo', 'sim', 'config', 'article', 'material', 'draft', 'publish', 'dify', 'mcp', 'privacy']) {
    assert.match(help, new RegExp(`^\\s+${group}\\b`, 'm'), `help lists ${group}`);
  }
});

test('mpgate --version prints the package version', async () => {
  const program = buildProgram().exitOverride();
  let out = '';
  program.configureOutput({ writeOut: (s) => (out += s) });
  await assert.rejects(program.parseAsync(['node', 'mpgate', '--version']), { code: 'commander.version' });
  assert.equal(out.trim(), VERSION);
  assert.match(VERSION, /^\d+\.\d+\.\d+/);
});
