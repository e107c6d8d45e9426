/** One page of a console list: `data` (apps, annotations) or `items` (workflows), plus `has_more`. */
export interface ConsolePage<T> {
  items: T[];
  hasMore: boolean;
}

/** Safety stop for a server whose `has_more` never turns false. */
const MAX_PAGES = 10_000;

/**
 * Reads every page: loops on `has_more`, and also stops on an empty page (annotations and datasets set
 * `has_more = len == limit`, so a full last page is followed by an empty one).
 */
export async function collectPages<T>(fetchPage: (page: number) => Promise<ConsolePage<T>>): Promise<T[]> {
  const all: T[] = [];
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const { items, hasMore } = await fetchPage(page);
    all.push(...items);
    if (!hasMore || items.length === 0) return all;
  }
  throw new Error(`Dify console: more than ${MAX_PAGES} pages; stopping (has_more never turned false)`);
}
