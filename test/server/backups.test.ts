/** `mpgate serve` runs the configured Dify backups on their schedule and reports them on /metrics. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyArchive } from '../../src/backup/verify.js';
import { loadConfigFromObject } from '../../src/config/load-config.js';
import { startGatewayServer } from '../../src/server/gateway-server.js';
import { startDifySimulator } from '../../src/sim/dify/index.js';

test('scheduled backups run on their cron, write verifiable archives, and show on /metrics', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mpgate-sched-'));
  const dify = await startDifySimulator({ port: 0 });
  const config = loadConfigFromObject(
    {
      server: { host: '127.0.0.1', port: 0 },
      store: { driver: 'memory' },
      logging: { level: 'silent' },
      backups: {
        cron: '* * * * * *', // every second
        target: join(dir, 'backups'),
        keep: 2,
        url: dify.consoleBase.replace(/\/console\/api$/, ''),
        email: dify.credentials.email,
        passwordEnv: 'MPGATE_TEST_DIFY_PASSWORD',
      },
    },
    { env: {} },
  );
  process.env.MPGATE_TEST_DIFY_PASSWORD = dify.credentials.password;
  const server = await startGatewayServer({ config });
  try {
    let metrics = '';
    for (let i = 0; i < 100 && !/mpgate_backup_last_success_timestamp_seconds [1-9]/.test(metrics); i++) {
      await new Promise((r) => setTimeout(r, 100));
      metrics = await (await fetch(`${server.url}/metrics`)).text();
    }
    assert.match(metrics, /mpgate_backup_runs_total [1-9]/);
    assert.match(metrics, /mpgate_backup_failures_total 0/);
    assert.match(metrics, /mpgate_backup_last_success_timestamp_seconds [1-9]/);
    const archives = readdirSync(join(dir, 'backups'));
    assert.ok(archives.length >= 1);
    const report = await verifyArchive(join(dir, 'backups', archives[0]!));
    assert.deepEqual(report.problems, []);
  } finally {
    await server.close();
    await dify.close();
    delete process.env.MPGATE_TEST_DIFY_PASSWORD;
    rmSync(dir, { recursive: true, force: true });
  }
});
