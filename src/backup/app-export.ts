import type { DifyConsoleClient } from '../dify/console-client.js';
import type { ConsoleApp } from '../dify/console/apps.js';
import type { BackupOptions } from './backup.js';
import { inspectDsl } from './dsl-shape.js';
import { annotationsPath, appDslPath, appFileStem, versionDslPath } from './file-name.js';
import type { ManifestApp, ManifestVersion } from './manifest.js';
import { withRetry, type RetryPolicy } from './retry.js';

/** One file of an exported app, with its archive path. */
export interface ExportedFile {
  path: string;
  text: string;
}

/** Everything exported for one app, not yet written; `entry` lacks the hashes. */
export interface ExportedApp {
  entry: Omit<ManifestApp, 'sha256' | 'versions' | 'annotations'> & { versions?: Omit<ManifestVersion, 'sha256'>[] };
  files: ExportedFile[];
  annotations?: { path: string; count: number; text: string };
}

function isWorkflowMode(mode: string): boolean {
  return mode === 'workflow' || mode === 'advanced-chat';
}

/** Everything of one app, fetched before anything is written (a failure leaves the archive's copy alone). */
export async function exportApp(client: DifyConsoleClient, app: ConsoleApp, options: BackupOptions, retry: RetryPolicy, at: Date): Promise<ExportedApp> {
  const stem = appFileStem(app.name, app.id);
  const includeSecret = options.includeSecret === true;
  const draft = await exportDsl(client, app.id, includeSecret, undefined, retry);
  const entry: ExportedApp['entry'] = {
    id: app.id,
    name: app.name,
    mode: app.mode,
    file: appDslPath(stem),
    dslVersion: draft.dslVersion,
    exportedAt: at.toISOString(),
    ...(typeof app.updated_at === 'number' ? { updatedAt: app.updated_at } : {}),
  };
  const files: ExportedFile[] = [{ path: entry.file, text: draft.text }];
  if (options.versions && isWorkflowMode(app.mode)) {
    const published = await withRetry(() => client.workflows.listPublished(app.id), retry);
    entry.versions = [];
    for (const workflow of published) {
      const exported = await exportDsl(client, app.id, includeSecret, workflow.id, retry);
      const file = versionDslPath(stem, workflow.version, workflow.id);
      files.push({ path: file, text: exported.text });
      entry.versions.push({
        id: workflow.id,
        version: workflow.version,
        ...(workflow.marked_name ? { markedName: workflow.marked_name } : {}),
        ...(workflow.marked_comment ? { markedComment: workflow.marked_comment } : {}),
        file,
      });
    }
  }
  let annotations: ExportedApp['annotations'];
  if (options.annotations && app.mode !== 'workflow') {
    const list = await withRetry(() => client.annotations.export(app.id), retry);
    if (list.length > 0) {
      annotations = { path: annotationsPath(stem), count: list.length, text: `${JSON.stringify({ appId: app.id, count: list.length, annotations: list }, null, 2)}\n` };
    }
  }
  return { entry, files, ...(annotations ? { annotations } : {}) };
}

async function exportDsl(client: DifyConsoleClient, appId: string, includeSecret: boolean, workflowId: string | undefined, retry: RetryPolicy): Promise<{ text: string; dslVersion: string }> {
  const text = await withRetry(() => client.apps.export(appId, { include_secret: includeSecret, ...(workflowId ? { workflow_id: workflowId } : {}) }), retry);
  if (typeof text !== 'string' || text === '') throw new Error(`Dify's export${workflowId ? ` of version ${workflowId}` : ''} returned no DSL`);
  const inspection = inspectDsl(text);
  if (!inspection.ok) throw new Error(`Dify's export${workflowId ? ` of version ${workflowId}` : ''} ${inspection.problem}`);
  return { text, dslVersion: inspection.dslVersion };
}
