import { encodePath } from '../http-transport.js';
import type { DifyConsoleClient } from '../console-client.js';
import { collectPages } from './paginate.js';

/** A workflow version of a `workflow` or `advanced-chat` app. Secret variable values are masked. */
export interface ConsoleWorkflow {
  id: string;
  /** `draft`, or the publication timestamp of a published version. */
  version: string;
  marked_name?: string | null;
  marked_comment?: string | null;
  hash?: string;
  graph?: Record<string, unknown>;
  features?: Record<string, unknown>;
  created_by?: { id: string; name?: string; email?: string } | null;
  created_at: number;
  updated_at?: number | null;
  environment_variables?: Record<string, unknown>[];
  conversation_variables?: Record<string, unknown>[];
  [key: string]: unknown;
}

/** One page of `GET /apps/{id}/workflows`. */
export interface ConsoleWorkflowPage {
  items: ConsoleWorkflow[];
  page: number;
  limit: number;
  has_more: boolean;
}

/** Workflow versions. Only `workflow` and `advanced-chat` apps have them (others: 404 `app_not_found`). */
export class ConsoleWorkflows {
  readonly #client: DifyConsoleClient;
  constructor(client: DifyConsoleClient) {
    this.#client = client;
  }

  /** Every published version, newest first, across all pages (the draft row is left out). */
  async listPublished(appId: string): Promise<ConsoleWorkflow[]> {
    const all = await collectPages(async (page) => {
      const body = await this.listPage(appId, page);
      return { items: body.items ?? [], hasMore: body.has_more === true };
    });
    return all.filter((workflow) => workflow.version !== 'draft');
  }

  /** One page of versions, the draft row included. */
  listPage(appId: string, page: number, limit = 100): Promise<ConsoleWorkflowPage> {
    return this.#client.json<ConsoleWorkflowPage>({
      method: 'GET',
      path: encodePath`/apps/${appId}/workflows`,
      query: { page, limit },
      idempotent: true,
    });
  }
}
