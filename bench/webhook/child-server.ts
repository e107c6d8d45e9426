import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** Counters a server reports: its own tallies plus the CPU time its process used (µs). */
export type ServerStats = Record<string, number>;

/** What a bench server module starts inside its child process. */
export interface BenchServer {
  url: string;
  stats(): ServerStats;
  close(): Promise<void>;
}

type ToChild = { type: 'stats'; id: number } | { type: 'close' };
type FromChild =
  | { type: 'ready'; url: string }
  | { type: 'stats'; id: number; stats: ServerStats }
  | { type: 'failed'; message: string };

/** A bench server running in its own process, so it never shares an event loop with the load generator. */
export interface ChildServer {
  url: string;
  pid: number;
  /** The server's counters and its process's CPU time (`cpuUserUs`, `cpuSystemUs`). */
  stats(): Promise<ServerStats>;
  close(): Promise<void>;
}

export interface StartChildOptions {
  /** Extra Node flags (e.g. `--cpu-prof`). */
  nodeFlags?: string[];
}

/** Forks `bench/webhook/<module>` (run through tsx) with `args` and waits until it listens. */
export async function startChild(module: string, args: string[], options: StartChildOptions = {}): Promise<ChildServer> {
  const file = fileURLToPath(new URL(module, import.meta.url));
  const child = fork(file, args, { execArgv: ['--import', 'tsx', ...(options.nodeFlags ?? [])], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [ready] = (await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(([code]) => [{ type: 'failed', message: `exited with code ${String(code)} before listening` }]),
  ])) as [FromChild];
  if (ready.type !== 'ready') {
    child.kill();
    throw new Error(`bench server ${module} ${args.join(' ')} failed: ${ready.type === 'failed' ? ready.message : 'unexpected message'}`);
  }
  let nextId = 0;
  return {
    url: ready.url,
    pid: child.pid ?? -1,
    stats: () => request(child, nextId++),
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.send({ type: 'close' } satisfies ToChild);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Asks the child for its stats; fails if the child dies first (rather than waiting forever). */
async function request(child: ChildProcess, id: number): Promise<ServerStats> {
  if (child.exitCode !== null || child.signalCode !== null) throw new Error(`bench server (pid ${child.pid}) is not running`);
  const answer = new Promise<ServerStats>((resolve, reject) => {
    const onExit = (code: number | null, signal: string | null): void => {
      child.off('message', onMessage);
      reject(new Error(`bench server (pid ${child.pid}) exited (${signal ?? `code ${code}`}) before answering`));
    };
    const onMessage = (message: FromChild): void => {
      if (message.type === 'stats' && message.id === id) {
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message.stats);
      }
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
  child.send({ type: 'stats', id } satisfies ToChild);
  return answer;
}

/** The child side: starts the server, reports its URL, answers stats requests, closes on request. */
export function serveChild(start: () => Promise<BenchServer>): void {
  const send = (message: FromChild): void => {
    process.send?.(message);
  };
  start().then(
    (server) => {
      process.on('message', (message: ToChild) => {
        if (message.type === 'stats') {
          const cpu = process.cpuUsage();
          send({ type: 'stats', id: message.id, stats: { ...server.stats(), cpuUserUs: cpu.user, cpuSystemUs: cpu.system } });
        } else {
          // Exit on our own once closed: a clean exit is what writes a --cpu-prof profile.
          void server.close().finally(() => process.exit(0));
        }
      });
      send({ type: 'ready', url: server.url });
    },
    (err: unknown) => {
      send({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
      process.exit(1);
    },
  );
}
