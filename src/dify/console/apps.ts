import { DifyUnsupportedVersionError } from '../errors.js';
import { encodePath } from '../http-transport.js';
import type { DifyConsoleClient } from '../console-client.js';
import { collectPages } from './paginate.js';

/** App modes the console list can filter on. */
export type ConsoleAppMode = 'completion' | 'chat' | 'advanced-chat' | 'workflow' | 'agent-chat' | 'channel' | 'all';

/** An app as `GET /apps` lists it (AppPartial); `workflow` is the **published** workflow. */
export interface ConsoleApp {
  id: string;
  name: string;
  description: string | null;
  /** "Mode compatible with agent": a legacy chat app with agent mode shows as `agent-chat`. */
  mode: string;
  icon_type?: string | null;
  icon?: string | null;
  icon_background?: string | null;
  workflow?: { id: string; created_at?: number; updated_at?: number } | null;
  created_at: number;
  updated_at?: number;
  tags?: { id: string; name: string; type: string }[];
  [key: string]: unknown;
}

/** One page of `GET /apps`. */
export interface ConsoleAppPage {
  page: number;
  limit: number;
  total: number;
  has_more: boolean;
  data: ConsoleApp[];
}

/** Filters of `GET /apps`. */
export interface ConsoleAppListParams {
  /** Default `all`. Filters on the stored mode. */
  mode?: ConsoleAppMode;
  /** Case-insensitive substring of the name. */
  name?: string;
  is_created_by_me?: boolean;
}

/** `GET /apps/{id}`: detail including site settings (which the DSL does not contain). */
export interface ConsoleAppDetail extends ConsoleApp {
  enable_site?: boolean;
  enable_api?: boolean;
  site?: Record<string, unknown> | null;
}

/** Options of the DSL export. */
export interface ConsoleExportParams {
  /** Include secret environment variables and credential ids. Default false; opt in deliberately. */
  include_secret?: boolean;
  /** Export this published workflow version instead of the draft (Dify ≥ 1.8.1). */
  workflow_id?: string;
}

/** Apps of the current workspace. */
export class ConsoleApps {
  readonly #client: DifyConsoleClient;
  constructor(client: DifyConsoleClient) {
    this.#client = client;
  }

  /** Every app (all pages of 100), optionally filtered by mode or name. */
  list(params: ConsoleAppListParams = {}): Promise<ConsoleApp[]> {
    return collectPages(async (page) => {
      const body = await this.listPage(page, params);
      return { items: body.data ?? [], hasMore: body.has_more === true };
    });
  }

  /** One page of apps. */
  listPage(page: number, params: ConsoleAppListParams = {}, limit = 100): Promise<ConsoleAppPage> {
    return this.#client.json<ConsoleAppPage>({
      method: 'GET',
      path: '/apps',
      query: { page, limit, mode: params.mode, name: params.name, is_created_by_me: params.is_created_by_me },
      idempotent: true,
    });
  }

  /** One app's detail; 404 `app_not_found` for an unknown id or another workspace's app. */
  get(appId: string): Promise<ConsoleAppDetail> {
    return this.#client.json<ConsoleAppDetail>({ method: 'GET', path: encodePath`/apps/${appId}`, idempotent: true });
  }

  /** The app's DSL as YAML (the draft, or a published version with `workflow_id`). Needs editor rights. */
  async export(appId: string, params: ConsoleExportParams = {}): Promise<string> {
    await this.#client.login();
    const version = this.#client.version;
    if (params.workflow_id !== undefined && version !== undefined && !this.#client.isVersionAtLeast('1.8.1')) {
      const feature = 'exporting a published workflow version (workflow_id)';
      throw new DifyUnsupportedVersionError({ feature, version, minimumVersion: '1.8.1' });
    }
    const body = await this.#client.json<{ data: string }>({
      method: 'GET',
      path: encodePath`/apps/${appId}/export`,
      query: { include_secret: params.include_secret === true ? 'true' : 'false', workflow_id: params.workflow_id },
      idempotent: true,
    });
    return body.data;
  }
}
