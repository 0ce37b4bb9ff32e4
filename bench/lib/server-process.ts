import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchRequest } from '../cases/types.js';
import type { StoreCounts } from './counting-store.js';
import type { ChildMessage, ParentMessage } from './serve.js';

/** A case's server running in its own process. */
export interface ServerProcess {
  url: string;
  /** The request to repeat, as the case prepared it (a seeded cookie included). */
  request: BenchRequest;
  /** Zeroes the store counters (after warm-up). */
  resetCounts(): Promise<void>;
  /** Store calls since the last reset, or `null` when the case has no store. */
  counts(): Promise<StoreCounts | null>;
  /** CPU time (user + system, µs) the server process has used so far. */
  cpuMicros(): Promise<number>;
  stop(): Promise<void>;
}

const SERVE = fileURLToPath(new URL('./serve.ts', import.meta.url));

function nextMessage<T extends ChildMessage['type']>(
  child: ChildProcess,
  type: T,
): Promise<Extract<ChildMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ChildMessage) => {
      if (message.type !== type) return;
      child.off('message', onMessage).off('exit', onExit);
      resolve(message as Extract<ChildMessage, { type: T }>);
    };
    const onExit = (code: number | null) => {
      child.off('message', onMessage);
      reject(new Error(`bench server exited (code ${code}) before sending "${type}"`));
    };
    child.on('message', onMessage).once('exit', onExit);
  });
}

/** Forks `serve.ts` for a case (same loader flags as this process) and waits until it listens. */
export async function startServer(caseId: string): Promise<ServerProcess> {
  const child = fork(SERVE, [caseId], { execArgv: process.execArgv, stdio: 'inherit' });
  const request = <T extends ChildMessage['type']>(message: ParentMessage, answer: T) => {
    const reply = nextMessage(child, answer);
    child.send(message);
    return reply;
  };
  const { port, request: benchRequest } = await nextMessage(child, 'ready');
  return {
    url: `http://127.0.0.1:${port}`,
    request: benchRequest,
    resetCounts: async () => void (await request({ type: 'reset' }, 'reset-done')),
    counts: async () => (await request({ type: 'counts' }, 'counts')).counts,
    cpuMicros: async () => (await request({ type: 'cpu' }, 'cpu')).micros,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}
