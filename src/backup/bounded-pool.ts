/**
 * Runs `worker` over `items` with at most `concurrency` calls in flight, in order of the items.
 * Resolves when every call has settled; a worker must handle its own errors (each app's failure is
 * recorded, not thrown, so one bad app never stops the others).
 */
export async function forEachBounded<T>(items: readonly T[], concurrency: number, worker: (item: T, index: number) => Promise<void>): Promise<void> {
  const limit = Math.max(1, Math.floor(concurrency));
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      await worker(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
