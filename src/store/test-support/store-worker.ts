/**
 * A separate process for the SQLite cross-process tests: `node --import tsx store-worker.ts <command> <json>`.
 * It prints one JSON line per event on stdout. Commands that race wait for "go <epoch ms>" on stdin first,
 * so that every process starts at the same moment; commands that hold something then wait to be killed.
 * It exits when stdin closes, so a crashed test leaves no process behind.
 */
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { SqliteStore } from '../sqlite-store.js';

type Command =
  | { command: 'claim-race'; path: string; keys: number; name: string; descending?: boolean }
  | { command: 'drain-queue'; path: string; queue: string; name: string }
  | { command: 'lease-and-hang'; path: string; queue: string; leaseMs: number }
  | { command: 'lock-and-hang'; path: string; lock: string; ttlMs: number };

const stdinLines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
process.stdin.on('end', () => process.exit(0));

function say(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

/** Say ready, then wait for "go <epoch ms>" and spin until that moment, so racing processes start together. */
async function waitForGo(): Promise<void> {
  say({ ready: true });
  const line = await stdinLines.next();
  const startAt = Number(String(line.value ?? '').split(' ')[1] ?? 0);
  while (Date.now() < startAt) {
    // busy-wait: a timer would wake each process at a slightly different moment
  }
}

async function main(): Promise<void> {
  const [command, json] = process.argv.slice(2);
  const args = { command, ...JSON.parse(json ?? '{}') } as Command;
  const store = new SqliteStore({ path: args.path, sweepIntervalMs: 0 });
  switch (args.command) {
    case 'claim-race': {
      await waitForGo();
      const won: number[] = [];
      for (let n = 0; n < args.keys; n++) {
        const i = args.descending ? args.keys - 1 - n : n;
        if (await store.claim(`job:${i}`, args.name, { ttlMs: 60_000 })) won.push(i);
        // A short pause now and then, as between webhook requests; without it the first process to get the
        // write lock does all 200 claims while the others sit in SQLite's busy back-off.
        if (n % 5 === 4) await sleep(1);
      }
      say({ won });
      await store.close();
      process.exit(0);
      break;
    }
    case 'drain-queue': {
      await waitForGo();
      const acked: string[] = [];
      for (let item = await store.lease(args.queue, 60_000); item; item = await store.lease(args.queue, 60_000)) {
        if (!(await store.ack(args.queue, item.id, item.leaseToken))) throw new Error(`${args.name}: lost lease of ${item.id}`);
        acked.push(item.id);
      }
      say({ acked });
      await store.close();
      process.exit(0);
      break;
    }
    case 'lease-and-hang': {
      // `at` is taken before the call: the lease starts no earlier, so "before at + leaseMs" surely means still leased.
      const at = Date.now();
      const leased = await store.lease(args.queue, args.leaseMs);
      say({ leased, at });
      setInterval(() => {}, 60_000); // hold the lease until SIGKILL
      break;
    }
    case 'lock-and-hang': {
      const at = Date.now(); // as above: the lock's TTL starts no earlier than this
      const token = await store.acquireLock(args.lock, args.ttlMs);
      say({ token, at });
      setInterval(() => {}, 60_000); // hold the lock until SIGKILL
      break;
    }
    default:
      throw new Error(`unknown command ${String(command)}`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
