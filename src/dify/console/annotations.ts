import { encodePath } from '../http-transport.js';
import type { DifyConsoleClient } from '../console-client.js';
import { collectPages } from './paginate.js';

/** An annotation (a curated question → answer pair). */
export interface ConsoleAnnotation {
  id: string;
  question: string;
  answer: string;
  hit_count?: number;
  created_at?: number;
  [key: string]: unknown;
}

/** One page of `GET /apps/{id}/annotations`; `has_more` means "this page was full". */
export interface ConsoleAnnotationPage {
  data: ConsoleAnnotation[];
  has_more: boolean;
  limit: number;
  total: number;
  page: number;
}

/** Annotations of an app. */
export class ConsoleAnnotations {
  readonly #client: DifyConsoleClient;
  constructor(client: DifyConsoleClient) {
    this.#client = client;
  }

  /** Every annotation, page by page (expect one empty trailing page when the last one is full). */
  list(appId: string): Promise<ConsoleAnnotation[]> {
    return collectPages(async (page) => {
      const body = await this.listPage(appId, page);
      return { items: body.data ?? [], hasMore: body.has_more === true };
    });
  }

  /** One page of annotations. */
  listPage(appId: string, page: number, limit = 100): Promise<ConsoleAnnotationPage> {
    return this.#client.json<ConsoleAnnotationPage>({
      method: 'GET',
      path: encodePath`/apps/${appId}/annotations`,
      query: { page, limit },
      idempotent: true,
    });
  }

  /** Every annotation in one call (`GET /apps/{id}/annotations/export`, editor+). */
  async export(appId: string): Promise<ConsoleAnnotation[]> {
    const body = await this.#client.json<{ data: ConsoleAnnotation[] }>({
      method: 'GET',
      path: encodePath`/apps/${appId}/annotations/export`,
      idempotent: true,
    });
    return body.data ?? [];
  }
}
