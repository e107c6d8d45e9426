/** One scheduled appearance of a queue item: when it becomes leasable, and which version of the item it is for. */
interface Slot {
  availableAt: number;
  /** Enqueue order of the item: breaks ties between equal times. */
  seq: number;
  id: string;
  /** The item's version when this slot was made; an older slot is stale and skipped. */
  version: number;
}

/** What the schedule needs to know of an item to tell a live slot from a stale one. */
export interface ScheduledItem {
  availableAt: number;
  seq: number;
  version: number;
}

/**
 * The lease order of one in-memory queue: a binary min-heap on (availableAt, seq). Rescheduling an item (lease,
 * retry) bumps its version and adds a slot; removing it (ack, purge) leaves its slots stale. Stale slots are
 * dropped when they reach the top, and the heap is rebuilt when they outnumber live items, so leasing costs
 * O(log n) instead of a scan of the whole queue.
 */
export class QueueSchedule {
  #heap: Slot[] = [];

  /** Adds a slot for an item's current time and version. */
  schedule(id: string, item: ScheduledItem): void {
    this.#heap.push({ availableAt: item.availableAt, seq: item.seq, id, version: item.version });
    this.#up(this.#heap.length - 1);
  }

  /**
   * The id of the earliest item leasable at `now`, or undefined. `live` returns the item for an id if it is
   * still queued; the caller reschedules or removes the item it takes.
   */
  next(now: number, live: (id: string) => ScheduledItem | undefined, liveCount: number): string | undefined {
    if (this.#heap.length > 2 * liveCount + 1024) this.#rebuild(live);
    for (;;) {
      const top = this.#heap[0];
      if (!top) return undefined;
      const item = live(top.id);
      if (!item || item.version !== top.version) {
        this.#pop();
        continue;
      }
      if (top.availableAt > now) return undefined;
      this.#pop();
      return top.id;
    }
  }

  #rebuild(live: (id: string) => ScheduledItem | undefined): void {
    const slots = this.#heap.filter((slot) => live(slot.id)?.version === slot.version);
    this.#heap = [];
    for (const slot of slots) {
      this.#heap.push(slot);
      this.#up(this.#heap.length - 1);
    }
  }

  #pop(): void {
    const last = this.#heap.pop();
    if (last && this.#heap.length > 0) {
      this.#heap[0] = last;
      this.#down(0);
    }
  }

  #before(a: Slot, b: Slot): boolean {
    return a.availableAt < b.availableAt || (a.availableAt === b.availableAt && a.seq < b.seq);
  }

  #up(i: number): void {
    const heap = this.#heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#before(heap[i]!, heap[parent]!)) return;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  #down(i: number): void {
    const heap = this.#heap;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && this.#before(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && this.#before(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === i) return;
      [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
      i = smallest;
    }
  }
}
