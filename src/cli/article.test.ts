import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { registerArticleCommands, type ArticleCommandIo } from './article.js';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/articles/', import.meta.url));
const SHOWCASE = join(FIXTURES, 'showcase.md');

interface Run {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs `mpgate article …` in-process; `whilePreviewing` runs while a preview is up, then stops it. */
async function run(args: string[], whilePreviewing?: (stdout: string) => Promise<void>): Promise<Run> {
  const result: Run = { stdout: '', stderr: '', exitCode: 0 };
  const io: ArticleCommandIo = {
    stdout: (text) => void (result.stdout += text),
    stderr: (text) => void (result.stderr += text),
    setExitCode: (code) => void (result.exitCode = code),
    untilStopped: async () => {
      await whilePreviewing?.(result.stdout);
    },
  };
  const program = new Command('mpgate').exitOverride();
  registerArticleCommands(program, io);
  await program.parseAsync(['node', 'mpgate', 'article', ...args]);
  return result;
}

test('article render writes the article HTML to stdout, or to -o with a summary', async () => {
  const out = await run(['render', SHOWCASE]);
  assert.equal(out.exitCode, 0);
  assert.match(out.stdout, /^<section style="[^"]+">/);
  assert.ok(!out.stdout.includes('class='));
  assert.equal(out.stderr, '');

  const dir = mkdtempSync(join(tmpdir(), 'mpgate-article-'));
  try {
    const file = join(dir, 'out.html');
    const written = await run(['render', SHOWCASE, '-o', file, '--theme', 'tech']);
    assert.equal(written.exitCode, 0);
    assert.equal(written.stdout, '');
    assert.match(written.stderr, /rendered "用 mpgate 把 Markdown 发到公众号" with theme tech: [\d.]+ KB, 1 image\(s\), 0 warning\(s\) → .*out\.html/);
    assert.match(readFileSync(file, 'utf8'), /background: #0d1117/);

    const css = join(dir, 'custom.css');
    writeFileSync(css, 'h2 { color: rgb(9, 8, 7); }');
    assert.match((await run(['render', SHOWCASE, '--css', css])).stdout, /<h2 style="[^"]*color: rgb\(9, 8, 7\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--json gives the whole result and --page a standalone phone-width page', async () => {
  const json = JSON.parse((await run(['render', SHOWCASE, '--json'])).stdout) as Record<string, unknown>;
  assert.deepEqual(Object.keys(json).sort(), ['frontMatter', 'html', 'images', 'links', 'theme', 'warnings']);
  assert.equal((json.frontMatter as { title: string }).title, '用 mpgate 把 Markdown 发到公众号');

  const page = (await run(['render', SHOWCASE, '--page'])).stdout;
  assert.match(page, /^<!doctype html>/);
  assert.match(page, /<meta charset="utf-8">/);
  assert.match(page, /id="mp-phone"/);
  assert.ok(!page.includes('/__version'), 'a written page does not poll a server');
});

test('errors are clear and exit non-zero: missing file, bad front matter with its line, unknown theme', async () => {
  const missing = await run(['render', join(FIXTURES, 'nope.md')]);
  assert.equal(missing.exitCode, 1);
  assert.match(missing.stderr, /^mpgate article render: cannot read .*nope\.md: no such file\n$/);

  const bad = await run(['render', join(FIXTURES, 'bad-front-matter.md')]);
  assert.equal(bad.exitCode, 1);
  assert.match(bad.stderr, /bad-front-matter\.md: front matter: .+ \(line 4, column 1\)/);

  const theme = await run(['render', SHOWCASE, '--theme', 'fancy']);
  assert.equal(theme.exitCode, 1);
  assert.match(theme.stderr, /unknown theme "fancy"; available themes: default, elegant, tech/);

  const css = await run(['render', SHOWCASE, '--css', join(FIXTURES, 'missing.css')]);
  assert.match(css.stderr, /cannot read .*missing\.css: no such file/);
  assert.equal(css.stdout, '');
});

test('warnings go to stderr and do not fail the command', async () => {
  const out = await run(['render', join(FIXTURES, 'raw-html.md')]);
  assert.equal(out.exitCode, 0);
  assert.match(out.stderr, /^warning: link "\.\/other\.md" is not a web address/m);
  assert.match(out.stderr, /^warning: removed HTML that WeChat does not allow/m);
});

test('--preview serves the page and prints its URL until stopped', async () => {
  let served = '';
  const out = await run(['render', SHOWCASE, '--preview', '--theme', 'elegant'], async (stdout) => {
    const url = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout)?.[1];
    assert.ok(url, `printed a URL: ${stdout}`);
    served = await (await fetch(url)).text();
  });
  assert.equal(out.exitCode, 0);
  assert.match(served, /id="mp-title">用 mpgate 把 Markdown 发到公众号</);
  assert.match(served, /theme: elegant/);

  const failed = await run(['render', join(FIXTURES, 'nope.md'), '--preview'], async () => {
    assert.fail('no server starts for a file that cannot be rendered');
  });
  assert.equal(failed.exitCode, 1);
});
