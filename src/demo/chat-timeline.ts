import type { ChatItem, ChatStatus, LogEntry, NewChatItem, TimelineChanges } from './chat-items.js';

/** Oldest entries are dropped beyond these, so a demo left running for days stays small. */
const MAX_ITEMS = 500;
const MAX_LOG = 1000;

/**
 * The chat and the event log of the demo, versioned so the page can ask "what changed since version N" and wait
 * for the next change (long polling). Every add or update bumps the version; clearing starts a new epoch.
 */
export class ChatTimeline {
  #epoch = 1;
  #version = 0;
  #nextId = 1;
  #items: ChatItem[] = [];
  #log: LogEntry[] = [];
  #status: ChatStatus = { typing: false };
  #waiters = new Set<() => void>();
  #closed = false;
  readonly #now: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  get version(): number {
    return this.#version;
  }

  get epoch(): number {
    return this.#epoch;
  }

  /** Adds an item; returns its id. */
  add(item: NewChatItem, at = this.#now()): string {
    const id = `i${this.#nextId++}`;
    this.#items.push({ ...item, id, at, version: this.#bump() } as ChatItem);
    if (this.#items.length > MAX_ITEMS) this.#items.splice(0, this.#items.length - MAX_ITEMS);
    this.#notify();
    return id;
  }

  /** Changes an item in place (unknown ids are ignored: the chat may have been cleared meanwhile). */
  update<T extends ChatItem>(id: string, change: (item: T) => void): void {
    const item = this.#items.find((i) => i.id === id) as T | undefined;
    if (!item) return;
    change(item);
    item.version = this.#bump();
    this.#notify();
  }

  /** The item with this id, if still kept. */
  get(id: string): ChatItem | undefined {
    return this.#items.find((i) => i.id === id);
  }

  /** Appends a line to the event log. */
  log(source: LogEntry['source'], text: string, level: LogEntry['level'] = 'info'): void {
    this.#log.push({ version: this.#bump(), at: this.#now(), source, text, level });
    if (this.#log.length > MAX_LOG) this.#log.splice(0, this.#log.length - MAX_LOG);
    this.#notify();
  }

  /** Changes the title bar's status (a change only when it differs). */
  setStatus(status: ChatStatus): void {
    if (status.typing === this.#status.typing) return;
    this.#status = { ...status };
    this.#bump();
    this.#notify();
  }

  /** Forgets the chat and the log; pages see a new epoch and start over. */
  clear(): void {
    this.#items = [];
    this.#log = [];
    this.#epoch++;
    this.#bump();
    this.#notify();
  }

  /** Everything changed after `version` of `epoch`; everything when the page's epoch is not the current one. */
  changes(epoch: number, version: number): TimelineChanges {
    const from = epoch === this.#epoch ? version : -1;
    return {
      epoch: this.#epoch,
      version: this.#version,
      items: this.#items.filter((i) => i.version > from),
      log: this.#log.filter((l) => l.version > from),
      status: { ...this.#status },
    };
  }

  /** Resolves at the next change after `version` (at once if there is one), or after `timeoutMs`. */
  waitForChange(epoch: number, version: number, timeoutMs: number): Promise<void> {
    if (this.#closed || epoch !== this.#epoch || this.#version > version) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.#waiters.add(done);
    });
  }

  /** Releases every waiting page (the server is stopping). */
  close(): void {
    this.#closed = true;
    this.#notify();
  }

  #bump(): number {
    return ++this.#version;
  }

  #notify(): void {
    for (const wake of [...this.#waiters]) wake();
  }
}
