/** Test bed for the demo: a demo with a shrunk WeChat window in a temp data folder, and the page's API as a client. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccountItem, ChatItem, FollowerItem, LogEntry, TimelineChanges } from '../../src/demo/chat-items.js';
import { startDemo, type Demo, type DemoOptions } from '../../src/demo/demo.js';

/** WeChat's window, shrunk; the demo scales every gateway timing from it. */
export const WINDOW_MS = 300;
/** Upper bound for anything the tests wait for (a loaded machine is slow; nothing here waits this long normally). */
export const PATIENCE_MS = 15_000;

export interface DemoBed {
  demo: Demo;
  dataDir: string;
  close(): Promise<void>;
}

/** Starts a demo on a free port with the shrunk window and a quick AI. */
export async function startDemoBed(options: DemoOptions = {}): Promise<DemoBed> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mpgate-demo-'));
  const demo = await startDemo({ port: 0, dataDir, windowMs: WINDOW_MS, aiLatencyMs: 30, ...options });
  return {
    demo,
    dataDir,
    close: async () => {
      await demo.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** POSTs JSON (or raw bytes) to the demo and returns the status and parsed body. */
export async function post<T = Record<string, unknown>>(base: string, path: string, body: unknown, contentType = 'application/json'): Promise<{ status: number; body: T }> {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: Buffer.isBuffer(body) ? new Uint8Array(body) : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** What the page knows after following the timeline: the chat in order and the event log. */
export interface PageView {
  items: ChatItem[];
  log: LogEntry[];
  /** Whether the title bar has shown "对方正在输入..." at some point. */
  sawTyping: boolean;
  /** The account's messages that answer a follower item. */
  answersTo(followerItemId: string): AccountItem[];
  follower(id: string): FollowerItem;
}

/** A client of `/demo/api/timeline` that keeps the page's view, as the page script does (long polling). */
export class TimelineClient {
  #epoch = 0;
  #version = -1;
  #items = new Map<string, ChatItem>();
  #log: LogEntry[] = [];
  #sawTyping = false;
  readonly #base: string;

  constructor(base: string) {
    this.#base = base;
  }

  view(): PageView {
    const items = [...this.#items.values()].sort((a, b) => a.at - b.at || Number(a.id.slice(1)) - Number(b.id.slice(1)));
    return {
      items,
      log: [...this.#log],
      sawTyping: this.#sawTyping,
      answersTo: (id) => items.filter((i): i is AccountItem => i.kind === 'account' && i.replyTo === id),
      follower: (id) => {
        const item = this.#items.get(id);
        if (item?.kind !== 'follower') throw new Error(`no follower item ${id}`);
        return item;
      },
    };
  }

  /** Follows the timeline until `done(view)` holds (a throw means "not yet"); fails with the view when it does not within the patience. */
  async until(done: (view: PageView) => boolean, what: string, patienceMs = PATIENCE_MS): Promise<PageView> {
    const deadline = Date.now() + patienceMs;
    const holds = (view: PageView): boolean => {
      try {
        return done(view);
      } catch {
        return false;
      }
    };
    for (;;) {
      const view = this.view();
      if (holds(view)) return view;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`timed out waiting for ${what}; the page shows:\n${describe(view)}`);
      }
      const res = await fetch(`${this.#base}/demo/api/timeline?epoch=${this.#epoch}&version=${this.#version}&waitMs=${Math.min(left, 2000)}`);
      const changes = (await res.json()) as TimelineChanges;
      if (changes.epoch !== this.#epoch) {
        this.#items.clear();
        this.#log = [];
        this.#epoch = changes.epoch;
      }
      this.#version = changes.version;
      for (const item of changes.items) this.#items.set(item.id, item);
      this.#log.push(...changes.log);
      if (changes.status.typing) this.#sawTyping = true;
    }
  }
}

/** One line per chat item and log entry, for failure messages. */
export function describe(view: PageView): string {
  const items = view.items.map((i) => {
    if (i.kind === 'notice') return `  [notice] ${i.text}`;
    const shown = i.message.type === 'text' ? i.message.text.slice(0, 40) : i.message.type;
    if (i.kind === 'follower') return `  ${i.id} follower: ${shown} ${i.state} ${JSON.stringify(i.deliveries)}`;
    return `  ${i.id} account: ${shown} ${JSON.stringify(i.arrival)} +${i.elapsedMs}ms → ${i.replyTo}`;
  });
  return [...items, ...view.log.map((l) => `  log ${l.source}: ${l.text}`)].join('\n');
}

/** The text of a chat message, or '' for other kinds. */
export const textOf = (item: ChatItem | undefined): string => (item && item.kind !== 'notice' && item.message.type === 'text' ? item.message.text : '');
