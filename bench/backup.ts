/**
 * Dify backup throughput: `node --import tsx bench/backup.ts` (about 40 s, bounded to 120 s).
 * 500 generated apps in the Dify simulator, 50 ms of latency added to every console request (over real
 * HTTP on 127.0.0.1), backed up with `runBackup` into a fresh directory: login, 5 list pages, 500 exports,
 * YAML checks, SHA-256, atomic writes, manifest. The simulator runs in a child process (this file with
 * `--serve-sim`), as a real Dify runs elsewhere: its CPU work does not share the backup's event loop.
 * Baseline, measured in the same run: the same 500 export GETs sent with plain `fetch` at the same
 * concurrency (admin-key auth, nothing parsed or written) — the floor set by the latency itself, so
 * "backup / floor" is what everything else costs. A second table row runs the backup at other concurrencies.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_BACKUP_CONCURRENCY, runBackup } from '../src/backup/backup.js';
import { forEachBounded } from '../src/backup/bounded-pool.js';
import { verifyArchive } from '../src/backup/verify.js';
import { startDifySimulator } from '../src/sim/dify/index.js';

const APPS = Number(process.env.BENCH_BACKUP_APPS ?? 500);
const LATENCY_MS = Number(process.env.BENCH_BACKUP_LATENCY_MS ?? 50);
const TARGET_S = 5;

interface SimInfo {
  origin: string;
  consoleBase: string;
  email: string;
  password: string;
  adminApiKey: string;
  workspaceId: string;
  appIds: string[];
}

if (process.argv[2] === '--serve-sim') {
  // Child mode: run the simulator, print how to reach it, stay up until the parent ends us.
  const sim = await startDifySimulator({ apps: { count: APPS }, consoleLatencyMs: LATENCY_MS });
  const info: SimInfo = { origin: sim.origin, consoleBase: sim.consoleBase, ...sim.credentials, adminApiKey: sim.adminApiKey ?? '', workspaceId: sim.workspaceId, appIds: sim.apps.map((a) => a.id) };
  process.stdout.write(`${JSON.stringify(info)}\n`);
  process.once('SIGTERM', () => void sim.close().then(() => process.exit(0)));
  await new Promise(() => undefined);
}

const guard = setTimeout(() => {
  console.error('bench/backup: gave up after 120 s');
  server.kill('SIGTERM');
  process.exit(1);
}, 120_000);

const server = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve-sim'], { stdio: ['ignore', 'pipe', 'inherit'] });
const sim = await new Promise<SimInfo>((resolve, reject) => {
  let buffered = '';
  server.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    if (buffered.includes('\n')) resolve(JSON.parse(buffered.slice(0, buffered.indexOf('\n'))) as SimInfo);
  });
  server.once('exit', (code) => reject(new Error(`simulator process exited with ${code}`)));
});
const tmp = mkdtempSync(join(tmpdir(), 'mpgate-bench-backup-'));
const target = { url: sim.origin, email: sim.email, password: sim.password };

/** Seconds for plain fetches of every export at `concurrency` (ids listed beforehand, untimed). */
async function floor(concurrency: number): Promise<number> {
  const headers = { Authorization: `Bearer ${sim.adminApiKey}`, 'X-WORKSPACE-ID': sim.workspaceId };
  const ids = sim.appIds;
  const start = performance.now();
  await forEachBounded(ids, concurrency, async (id) => {
    const res = await fetch(`${sim.consoleBase}/apps/${id}/export?include_secret=false`, { headers });
    if (res.status !== 200) throw new Error(`export ${id}: HTTP ${res.status}`);
    await res.arrayBuffer();
  });
  return (performance.now() - start) / 1000;
}

/** Seconds for a full backup at `concurrency` into a fresh directory; checks the result. */
async function backup(concurrency: number): Promise<number> {
  const out = join(tmp, `c${concurrency}`);
  const start = performance.now();
  const result = await runBackup({ target, out, concurrency });
  const seconds = (performance.now() - start) / 1000;
  if (!result.ok || result.apps.length !== APPS) throw new Error(`backup at concurrency ${concurrency}: ${result.failed.length} failed of ${result.apps.length}`);
  const report = await verifyArchive(out);
  if (!report.ok || report.counts.apps !== APPS) throw new Error(`archive does not verify: ${report.problems[0]?.message}`);
  return seconds;
}

try {
  console.log(`Dify backup: ${APPS} apps, ${LATENCY_MS} ms added to every console request; node ${process.version}, ${cpus()[0]?.model ?? 'cpu'} ×${cpus().length}`);
  await floor(DEFAULT_BACKUP_CONCURRENCY); // warm-up (connections, JIT)
  const rows: Array<{ concurrency: number; backup: number; floor: number }> = [];
  for (const concurrency of [DEFAULT_BACKUP_CONCURRENCY, 8, 16]) {
    const base = await floor(concurrency);
    const full = await backup(concurrency);
    rows.push({ concurrency, backup: full, floor: base });
  }
  console.log('');
  console.log('| concurrency | backup s | floor s (plain fetch of the exports) | backup / floor | apps/s |');
  console.log('|---:|---:|---:|---:|---:|');
  for (const row of rows) {
    const marker = row.concurrency === DEFAULT_BACKUP_CONCURRENCY ? ' (default)' : '';
    console.log(`| ${row.concurrency}${marker} | ${row.backup.toFixed(2)} | ${row.floor.toFixed(2)} | ${(row.backup / row.floor).toFixed(2)} | ${Math.round(APPS / row.backup)} |`);
  }
  const atDefault = rows[0]?.backup ?? Number.NaN;
  const lowerBound = (APPS * LATENCY_MS) / DEFAULT_BACKUP_CONCURRENCY / 1000;
  console.log('');
  console.log(`At the default concurrency (${DEFAULT_BACKUP_CONCURRENCY}): ${atDefault.toFixed(2)} s (target ≤ ${TARGET_S} s: ${atDefault <= TARGET_S ? 'met' : 'NOT met'}).`);
  console.log(`Lower bound from latency alone: ${APPS} exports × ${LATENCY_MS} ms / ${DEFAULT_BACKUP_CONCURRENCY} in flight = ${lowerBound.toFixed(2)} s.`);
} finally {
  server.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
  clearTimeout(guard);
}
