import { DifyApiError } from '../errors.js';
import { encodePath, endpointOf, jsonObjectOf, type DifyRequest } from '../http-transport.js';
import type { DifyConsoleClient } from '../console-client.js';

/** `completed` (200), `completed-with-warnings` (200), `pending` (202, confirm within 10 min), `failed` (400). */
export type DifyImportStatus = 'completed' | 'completed-with-warnings' | 'pending' | 'failed';

/** The state of a DSL import. */
export interface DifyImport {
  /** The import id (used by confirm), not the app id. */
  id: string;
  status: DifyImportStatus;
  app_id: string | null;
  app_mode?: string | null;
  current_dsl_version: string;
  imported_dsl_version: string;
  error: string;
}

/** Body of `POST /apps/imports` in `yaml-content` mode. */
export interface DifyImportParams {
  yaml_content: string;
  /** Override the DSL's name, description and icon. */
  name?: string;
  description?: string;
  icon_type?: string;
  icon?: string;
  icon_background?: string;
  /** Overwrite this existing app (workflow and advanced-chat only). */
  app_id?: string;
}

/** A plugin the imported app needs that the workspace lacks. */
export interface DifyPluginDependency {
  type: string;
  value: Record<string, unknown>;
  [key: string]: unknown;
}

/** The outcome of `importApp`. */
export interface DifyImportOutcome {
  import: DifyImport;
  /** True when the DSL version differed and the import had to be confirmed. */
  confirmed: boolean;
  leakedDependencies: DifyPluginDependency[];
}

/** DSL import (restore): create, confirm, check dependencies. */
export class ConsoleImports {
  readonly #client: DifyConsoleClient;
  constructor(client: DifyConsoleClient) {
    this.#client = client;
  }

  /** Starts an import. Resolves with the import for 200, 202 and 400 (status `failed`); other errors throw. */
  async create(params: DifyImportParams): Promise<DifyImport> {
    return this.#importAnswer({ method: 'POST', path: '/apps/imports', json: { mode: 'yaml-content', ...params } });
  }

  /** Confirms a `pending` import (a DSL version mismatch). */
  confirm(importId: string): Promise<DifyImport> {
    return this.#importAnswer({ method: 'POST', path: encodePath`/apps/imports/${importId}/confirm` });
  }

  /** Plugins the imported app needs that are not installed. */
  async checkDependencies(appId: string): Promise<DifyPluginDependency[]> {
    const body = await this.#client.json<{ leaked_dependencies?: DifyPluginDependency[] }>({
      method: 'GET',
      path: encodePath`/apps/imports/${appId}/check-dependencies`,
      idempotent: true,
    });
    return body.leaked_dependencies ?? [];
  }

  /**
   * Imports a DSL end to end: create; confirm when pending; then check dependencies.
   * A `failed` import throws a `DifyApiError` (code `import_failed`) carrying Dify's error text.
   */
  async importApp(params: DifyImportParams): Promise<DifyImportOutcome> {
    let result = await this.create(params);
    let confirmed = false;
    if (result.status === 'pending') {
      result = await this.confirm(result.id);
      confirmed = true;
    }
    if (result.status === 'failed' || !result.app_id) {
      throw new DifyApiError({
        status: 400,
        code: 'import_failed',
        message: result.error || `import ended as ${result.status} without an app id`,
        endpoint: confirmed ? 'POST /apps/imports/{id}/confirm' : 'POST /apps/imports',
      });
    }
    const leakedDependencies = await this.checkDependencies(result.app_id);
    return { import: result, confirmed, leakedDependencies };
  }

  async #importAnswer(request: DifyRequest): Promise<DifyImport> {
    const response = await this.#client.send(request);
    const body = jsonObjectOf(response);
    if ([200, 202, 400].includes(response.status) && body && typeof body.status === 'string' && typeof body.id === 'string') {
      return body as unknown as DifyImport;
    }
    throw this.#client.apiError(response, endpointOf(request));
  }
}
