/**
 * The publisher's CLI (`article publish`, `material`, `draft`, `publish`) run in-process with commander's
 * parseAsync and once as a real child process, against the WeChat simulator with a SQLite store from a config file.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, beforeEach, test } from 'node:test';
import { Command } from 'commander';
import { registerArticlePublishCommand } from '../../src/cli/article-publish.js';
import { registerDraftCommands } from '../../src/cli/draft.js';
import { registerMaterialCommands } from '../../src/cli/material.js';
import { registerPublishCommands } from '../../src/cli/publish.js';
import type { PublisherCommandIo } from '../../src/cli/wechat-account.js';
import { startWechatSimulator, type WechatSimulator } from '../../src/sim/wechat/index.js';
import { makeImage, writeArticleWithImages, writeFixture } from './support.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

const SECRET_ENV = 'MPGATE_TEST_WX_SECRET';
let sim: WechatSimulator;
let root: string;
let dir: string;
let config: string;
let n = 0;

interface Run {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs `mpgate …` in-process with captured output; `tty` makes stderr look like a terminal. */
async function run(args: string[], options: { tty?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  const result: Run = { stdout: '', stderr: '', exitCode: 0 };
  const io: PublisherCommandIo = {
    stdout: (text) => void (result.stdout += text),
    stderr: (text) => void (result.stderr += text),
    setExitCode: (code) => void (result.exitCode = code),
    isTTY: options.tty === true,
    columns: 80,
    env: options.env ?? { [SECRET_ENV]: sim.account.appSecret },
  };
  const program = new Command('mpgate').exitOverride();
  registerArticlePublishCommand(program.command('article'), io);
  registerMaterialCommands(program, io);
  registerDraftCommands(program, io);
  registerPublishCommands(program, io);
  await program.parseAsync(['node', 'mpgate', ...args]);
  assert.ok(!result.stdout.includes(sim.account.appSecret) && !result.stderr.includes(sim.account.appSecret), 'the AppSecret is never printed');
  return result;
}

function writeConfig(path: string, accounts: string): string {
  writeFileSync(
    path,
    `store: { driver: sqlite, path: ./data/mpgate.db }
wechat: { apiBase: ${sim.apiBase} }
accounts:
${accounts}`,
  );
  return path;
}

function account(id: string, appId: string, secret = `\${${SECRET_ENV}}`): string {
  return `  - id: ${id}
    appId: ${appId}
${secret === '' ? '' : `    appSecret: ${secret}\n`}    token: mpgateTest
    ai: { baseUrl: http://127.0.0.1:9/v1, apiKey: app-test, app: chat }
`;
}

const successes = (path: string): number => sim.calls({ path }).filter((c) => c.errcode === 0).length;

before(async () => {
  sim = await startWechatSimulator({ port: 0, publishDelayMs: 30 });
  root = mkdtempSync(join(tmpdir(), 'mpgate-publisher-cli-'));
});
after(async () => {
  await sim.close();
  rmSync(root, { recursive: true, force: true });
});
beforeEach(() => {
  sim.reset();
  dir = join(root, `case-${++n}`);
  config = writeConfig(writeFixture(dir, 'mpgate.yaml', ''), account('main', sim.account.appId));
});

test('article publish: uploads once, updates the same draft, then --submit --wait prints the article URL', async () => {
  const post = await writeArticleWithImages(dir);
  const first = await run(['article', 'publish', post, '--config', config]);
  assert.equal(first.exitCode, 0, first.stderr);
  const draftId = /^draft created: (\S+) \(1 article\)$/m.exec(first.stdout)?.[1];
  assert.ok(draftId, first.stdout);
  assert.match(first.stdout, /^ {2}1\. 发布测试 — .*post\.md \(2 images, cover uploaded\)$/m);
  assert.match(first.stdout, /^images: 3 uploaded, 0 from the cache$/m);
  assert.match(first.stderr, /rendering .*post\.md\n/, 'plain progress lines when stderr is not a terminal');

  const second = await run(['article', 'publish', post, '--config', config]);
  assert.equal(second.exitCode, 0, second.stderr);
  assert.match(second.stdout, new RegExp(`^draft updated: ${draftId} \\(1 article\\)$`, 'm'));
  assert.match(second.stdout, /^images: 0 uploaded, 3 from the cache$/m);
  assert.equal(successes('/cgi-bin/media/uploadimg'), 2);
  assert.equal(successes('/cgi-bin/material/add_material'), 1);

  const published = await run(['article', 'publish', post, '--config', config, '--submit', '--wait', '--poll-interval', '20'], { tty: true });
  assert.equal(published.exitCode, 0, published.stderr);
  assert.match(published.stdout, new RegExp(`^draft updated: ${draftId}`, 'm'));
  assert.match(published.stdout, /^published: publish_id \d+, article_id \S+$/m);
  assert.match(published.stdout, /^https?:\/\/mp\.weixin\.qq\.com\/s\S*$/m);
  assert.ok(published.stderr.includes('\r\x1b[2K'), 'a redrawn progress line on a terminal');
  assert.equal(successes('/cgi-bin/media/uploadimg'), 2, 'nothing uploaded again');

  const listed = await run(['draft', 'list', '--config', config, '--json']);
  assert.equal(JSON.parse(listed.stdout).total_count, 0, 'WeChat removed the published draft');
  const publishedList = await run(['publish', 'list', '--config', config]);
  assert.match(publishedList.stdout, /^1 published$/m);
  assert.match(publishedList.stdout, /^ {2}1\. 发布测试 {2}http/m);
});

test('article publish --json, and a failing publish exits 1 naming the status and its meaning', async () => {
  const post = await writeArticleWithImages(dir);
  sim.setCapability(sim.account.appId, { publishStatus: 3 });
  const failed = await run(['article', 'publish', post, '--config', config, '--wait', '--poll-interval', '20', '--json']);
  assert.equal(failed.exitCode, 1);
  const result = JSON.parse(failed.stdout) as { draft: { action: string }; publish: { state: string; message: string; status: { publish_status: number } } };
  assert.equal(result.draft.action, 'created');
  assert.equal(result.publish.state, 'failed');
  assert.equal(result.publish.status.publish_status, 3);
  assert.match(failed.stderr, /publish \d+ failed: status 3: publishing failed \(常规失败\)/);

  const human = await run(['article', 'publish', post, '--config', config, '--submit', '--wait', '--poll-interval', '20']);
  assert.equal(human.exitCode, 1);
  assert.match(human.stderr, /^publish \d+ failed: status 3: publishing failed \(常规失败\)/m);
});

test('article publish refuses an article over the limits before any request, naming file, field and limit', async () => {
  const post = writeFixture(dir, 'long.md', `---\ntitle: ${'长'.repeat(33)}\ncover: ./nope.jpg\n---\n\n正文\n`);
  const out = await run(['article', 'publish', post, '--config', config]);
  assert.equal(out.exitCode, 1);
  assert.match(out.stderr, /^mpgate article publish: .*long\.md: title has 33 characters; WeChat allows at most 32$/m);
  assert.equal(sim.calls().length, 0, 'no request reached WeChat');

  const json = await run(['article', 'publish', post, '--config', config, '--json']);
  const error = JSON.parse(json.stdout).error as { code: string; problems: { field: string; limit: string }[] };
  assert.equal(error.code, 'ARTICLE_INVALID');
  assert.deepEqual(error.problems.map((p) => [p.field, p.limit]), [['title', '32 characters']]);
});

test('material upload carries on past a bad file, reports it at the end and exits 1', async () => {
  const good = writeFixture(dir, 'good.jpg', await makeImage({ width: 40, height: 40, format: 'jpeg' }));
  const bad = writeFixture(dir, 'notes.txt', 'not an image');
  const alsoGood = writeFixture(dir, 'also.png', await makeImage({ width: 40, height: 40, format: 'png' }));
  const out = await run(['material', 'upload', good, bad, alsoGood, '--config', config]);
  assert.equal(out.exitCode, 1);
  assert.match(out.stdout, /good\.jpg → image \S+ {2}http:\/\/mmbiz\.qpic\.cn\//);
  assert.match(out.stdout, /also\.png → image \S+/);
  assert.match(out.stderr, /\[2\/3\] uploading .*notes\.txt/);
  assert.match(out.stderr, /mpgate material upload: 1 of 3 files failed:\n {2}.*notes\.txt: cannot tell the material type from the extension \.txt/);
  assert.equal(successes('/cgi-bin/material/add_material'), 2);

  // a thumb over 64 KB is refused before the request, unless --fit converts it
  const big = writeFixture(dir, 'big.jpg', await makeImage({ width: 600, height: 400, format: 'jpeg', noise: true }));
  const refused = await run(['material', 'upload', big, '--type', 'thumb', '--config', config]);
  assert.equal(refused.exitCode, 1);
  assert.match(refused.stderr, /big\.jpg: .* exceeds the 64 KB limit for permanent thumb/);
  const fitted = await run(['material', 'upload', big, '--type', 'thumb', '--fit', '--config', config, '--json']);
  assert.equal(fitted.exitCode, 0, fitted.stderr);
  const uploaded = JSON.parse(fitted.stdout) as { uploaded: { media_id: string; type: string; converted: string }[]; failed: unknown[] };
  assert.equal(uploaded.uploaded[0]?.type, 'thumb');
  assert.match(uploaded.uploaded[0]?.converted ?? '', /KB → \d+ KB/);

  const count = await run(['material', 'count', '--config', config]);
  assert.match(count.stdout, /^image: 3$/m, 'thumbs count as images');
  const list = JSON.parse((await run(['material', 'list', '--config', config, '--json', '--all'])).stdout) as { total_count: number; item: { media_id: string }[] };
  assert.equal(list.total_count, 3);

  const id = uploaded.uploaded[0]?.media_id ?? '';
  const saved = join(dir, 'saved.jpg');
  const got = await run(['material', 'get', id, '-o', saved, '--config', config]);
  assert.equal(got.exitCode, 0, got.stderr);
  assert.match(got.stdout, /image\/jpeg, \d+ bytes/);
  assert.ok(readFileSync(saved).byteLength <= 64 * 1024);

  const deleted = await run(['material', 'delete', id, 'NO_SUCH_ID', '--config', config]);
  assert.equal(deleted.exitCode, 1);
  assert.match(deleted.stdout, new RegExp(`^deleted ${id}$`, 'm'));
  assert.match(deleted.stderr, /NO_SUCH_ID: WeChat \/cgi-bin\/material\/del_material failed: 40007/);
});

test('draft get/delete and publish submit/status/delete', async () => {
  const post = await writeArticleWithImages(dir);
  const created = await run(['article', 'publish', post, '--config', config]);
  const draftId = /^draft created: (\S+)/m.exec(created.stdout)?.[1] ?? '';

  const got = await run(['draft', 'get', draftId, '--config', config]);
  assert.match(got.stdout, new RegExp(`^draft ${draftId}: 1 article$`, 'm'));
  assert.match(got.stdout, /^1\. 发布测试$/m);
  assert.match(got.stdout, /^ {3}preview: http:\/\/mp\.weixin\.qq\.com\/s\?/m);

  // deleting the draft forgets it: the next publish creates a new one without trying the old
  assert.equal((await run(['draft', 'delete', draftId, '--config', config])).exitCode, 0);
  const recreated = await run(['article', 'publish', post, '--config', config]);
  assert.match(recreated.stdout, /^draft created: \S+ \(1 article\)$/m, 'no "could not be updated" note');
  assert.equal(successes('/cgi-bin/draft/update'), 0);
  const newDraft = /^draft created: (\S+)/m.exec(recreated.stdout)?.[1] ?? '';

  const submitted = await run(['publish', 'submit', newDraft, '--config', config, '--json']);
  const publishId = (JSON.parse(submitted.stdout) as { publish_id: string }).publish_id;
  assert.ok(publishId);
  const waited = await run(['publish', 'status', publishId, '--wait', '--poll-interval', '20', '--config', config, '--json']);
  const outcome = JSON.parse(waited.stdout) as { state: string; urls: string[]; status: { article_id: string } };
  assert.equal(outcome.state, 'published');
  assert.equal(outcome.urls.length, 1);

  const removed = await run(['publish', 'delete', outcome.status.article_id, '--config', config]);
  assert.match(removed.stdout, /^deleted every article of /m);
  const after = await run(['publish', 'status', publishId, '--config', config]);
  assert.equal(after.exitCode, 1);
  assert.match(after.stderr, /status 5: all articles deleted by the user after publishing/);
});

test('clear errors for a missing config, an unknown or ambiguous account, and an account without AppSecret', async () => {
  const missing = await run(['draft', 'list', '--config', join(dir, 'nope.yaml')]);
  assert.equal(missing.exitCode, 1);
  assert.match(missing.stderr, /config file not found: .*nope\.yaml/);

  const unknown = await run(['draft', 'list', '--config', config, '--account', 'other']);
  assert.match(unknown.stderr, /no account "other" in .*mpgate\.yaml; accounts: main/);

  const two = writeConfig(join(dir, 'two.yaml'), account('main', sim.account.appId) + account('second', 'wx0123456789abcdef'));
  const ambiguous = await run(['material', 'count', '--config', two]);
  assert.match(ambiguous.stderr, /has 2 accounts \(main, second\): choose one with --account <id>/);
  const chosen = await run(['material', 'count', '--config', two, '--account', sim.account.appId]);
  assert.equal(chosen.exitCode, 0, chosen.stderr);

  // WeChat ids may start with "-": they reach WeChat as ids; a mistyped option does not
  const dashed = await run(['draft', 'get', '-Xy_0123456789abcdefghijklmnopqrstuvwxyzABCDE', '--config', config]);
  assert.match(dashed.stderr, /draft\/get failed: 40007/);
  const typo = await run(['draft', 'delete', 'SOMEID', '--jsno', '--config', config]);
  assert.match(typo.stderr, /^mpgate draft delete: unknown option --jsno/);
  assert.equal(typo.exitCode, 1);

  const noSecret = writeConfig(join(dir, 'nosecret.yaml'), account('main', sim.account.appId, ''));
  const refused = await run(['publish', 'list', '--config', noSecret]);
  assert.match(refused.stderr, /account "main" \(wx[0-9a-f]{16}\) has no appSecret: .* set accounts\[0\]\.appSecret in/);

  const unset = await run(['publish', 'list', '--config', config], { env: {} });
  assert.match(unset.stderr, new RegExp(`accounts\\[0\\]\\.appSecret: .*${SECRET_ENV}`));
  assert.deepEqual(
    sim.calls().map((c) => c.path),
    ['/cgi-bin/stable_token', '/cgi-bin/material/get_materialcount', '/cgi-bin/draft/get'],
    'only the good commands reached WeChat',
  );
});

test('as a real child process: material upload with plain progress lines and a non-zero exit for the bad file', async () => {
  const a = writeFixture(dir, 'a.png', await makeImage({ width: 30, height: 30, format: 'png' }));
  const broken = writeFixture(dir, 'broken.png', 'this is not a png');
  const entry = fileURLToPath(new URL('./cli-entry.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', entry, 'material', 'upload', a, broken, '--config', config], {
    env: { ...process.env, [SECRET_ENV]: sim.account.appSecret, MPGATE_CONFIG: '', MPGATE_ACCOUNT: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  assert.equal(code, 1, stderr);
  assert.match(stdout, /a\.png → image \S+/);
  assert.match(stderr, /^\[1\/2\] uploading .*a\.png$/m);
  assert.ok(!stderr.includes('\x1b['), 'no terminal control characters in a pipe');
  assert.match(stderr, /1 of 2 files failed:\n {2}.*broken\.png: the content is not a recognisable png file; permanent image accepts/);
  assert.equal(successes('/cgi-bin/material/add_material'), 1);
});
