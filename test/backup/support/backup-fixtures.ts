// Shared set-up of the backup integration tests: Dify simulators over real HTTP on 127.0.0.1, temp
// folders, and targets whose secrets come from the environment as the CLI reads them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DifyTarget } from '../../../src/backup/dify-target.js';
import { startDifySimulator } from '../../../src/sim/dify/index.js';
import type { DifySimulator, DifySimulatorOptions, SimAppInit } from '../../../src/sim/dify/types.js';

/** Apps that cover every mode, a CJK name, two apps with the same name, annotations and published versions. */
export const MIXED_APPS: SimAppInit[] = [
  { mode: 'chat', name: '客服助手 / FAQ', annotations: [{ question: '营业时间？', answer: '9:00–18:00' }, { question: 'Q2', answer: 'A2' }] },
  { mode: 'advanced-chat', name: 'Flow', publishedVersions: 2 },
  { mode: 'workflow', name: 'Flow', publishedVersions: 3 },
  { mode: 'agent-chat', name: 'Time-aware agent' },
  { mode: 'completion', name: 'Writer ✍️' },
  { mode: 'chat', name: 'Support bot', agent: false },
];

/** Starts a simulator; the caller closes it. */
export function startSim(options: DifySimulatorOptions = {}): Promise<DifySimulator> {
  return startDifySimulator({ apps: MIXED_APPS, ...options });
}

/** A temp folder removed when the test file ends. */
export function tempDir(prefix: string): { root: string; sub(name: string): string; cleanup(): void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `mpgate-${prefix}-`));
  return {
    root,
    sub: (name) => path.join(root, name),
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

/** Email + password target of a simulator. */
export function passwordTarget(sim: DifySimulator): DifyTarget {
  return { url: sim.origin, email: sim.credentials.email, password: sim.credentials.password };
}

/** Admin-key target of a simulator. */
export function adminKeyTarget(sim: DifySimulator): DifyTarget {
  return { url: sim.origin, adminApiKey: sim.adminApiKey, workspaceId: sim.workspaceId };
}

/** Fast retries for tests. */
export const FAST_RETRY = { retries: 2, baseDelayMs: 2 };

/** The DSL sha256 of every app in a manifest, sorted (ids differ between Difys; content must not). */
export function dslHashes(manifest: { apps: Array<{ sha256: string }> }): string[] {
  return manifest.apps.map((app) => app.sha256).sort();
}
