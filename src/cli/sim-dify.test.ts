import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';

/** `mpgate sim dify` run as a real process: it prints its URLs, keys and credentials, serves, and stops on SIGTERM. */
test('mpgate sim dify --port 0 --version 1.9.1 prints what a developer needs and serves that version', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'sim', 'dify', '--port', '0', '--version', '1.9.1', '--latency', '5'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let out = '';
    child.stdout.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner in time; got: ${out}`)), 15_000);
      child.stdout.on('data', (chunk: string) => {
        out += chunk;
        if (out.includes('Press Ctrl+C')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${out}`)));
    });
    const service = /Service API:\s+(\S+)/.exec(out)?.[1];
    const consoleBase = /Console API:\s+(\S+)/.exec(out)?.[1];
    const login = /Console login:\s+(\S+) \/ (\S+)/.exec(out);
    const chatKey = /^\s+chat\s+(app-\S+)/m.exec(out)?.[1];
    assert.equal(chatKey, 'app-mpgatedevchat00000000000', 'fixed dev keys survive restarts');
    assert.ok(service && consoleBase && login && chatKey, out);
    assert.match(out, /behaving as Dify 1\.9\.1/);
    assert.match(out, /Admin API key: \S+ +\(X-WORKSPACE-ID: [0-9a-f-]{36}\)/);
    const root = (await (await fetch(`${service}/`)).json()) as { server_version: string };
    assert.equal(root.server_version, '1.9.1');
    const res = await fetch(`${consoleBase}/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: login[1], password: login[2] }) });
    assert.equal(((await res.json()) as { result: string }).result, 'success', 'the printed credentials log in');
    const chat = await fetch(`${service}/chat-messages`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${chatKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: 'ping', inputs: {}, user: 'cli' }),
    });
    assert.equal(((await chat.json()) as { answer: string }).answer, 'ping');
  } finally {
    child.kill('SIGTERM');
    if (child.exitCode === null) await once(child, 'exit');
  }
  assert.equal(child.exitCode, 0, 'a clean shutdown on SIGTERM');
});

test('mpgate sim dify refuses a bad version or port with a one-line error', async () => {
  for (const [args, pattern] of [
    [['--version', 'latest'], /mpgate sim dify: Dify simulator: version "latest" is not of the form 1\.14\.1/],
    [['--port', '-3'], /--port must be an integer ≥ 0/],
  ] as const) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'sim', 'dify', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (c: string) => (err += c));
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 1);
    assert.match(err, pattern);
    assert.doesNotMatch(err, /\n\s+at /, 'no stack trace');
  }
});
