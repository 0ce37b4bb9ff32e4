import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import Redis from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { deleteKeys } from './keys.fixture.js';

export { deleteKeys };

/**
 * Test support for the Redis store (not exported by the package): connects to the Redis
 * the tests need, and fails loudly, never skips, when there is none.
 */

const URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export const REDIS_MISSING =
  'The Redis store tests need a Redis server on 127.0.0.1:6379 (or at REDIS_URL): start one with ' +
  '`redis-server --save "" --appendonly no --daemonize yes`';

/** Why a test that starts its own Redis cannot: the binary, not a running server, is missing. */
export const REDIS_BINARY_MISSING =
  'redis-server is not on PATH: these tests start Redis servers of their own; install it ' +
  '(on Debian: `sudo apt-get install redis-server`)';

/** A client as an app would configure it: no offline queue, so an outage rejects at once. */
export async function connectRedis(url = URL): Promise<Redis> {
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
  });
  client.on('error', () => {}); // connection errors surface as rejected commands
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    client.disconnect();
    throw new Error(`${REDIS_MISSING} (${(error as Error).message})`);
  }
  return client;
}

/** A key prefix no other test file or run shares. */
export function uniquePrefix(name: string): string {
  return `lifeline-test:${name}:${randomBytes(6).toString('hex')}:`;
}

/** A Redis server this test owns, on a free port, that it can kill and restart. */
export interface OwnRedis {
  port: number;
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/**
 * Starts `redis-server` (which must be on PATH) on a free port: without persistence, or
 * with `persistDir` keeping an append-only file there, so data survives a restart.
 */
export async function ownRedis(persistDir?: string): Promise<OwnRedis> {
  const port = await freePort();
  const persistence =
    persistDir === undefined
      ? ['--save', '', '--appendonly', 'no']
      : ['--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', persistDir];
  let child: ChildProcess | undefined;
  const own: OwnRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      const args = ['--port', String(port), '--bind', '127.0.0.1', ...persistence];
      child = spawn('redis-server', args, { stdio: 'ignore' });
      const failed = new Promise<never>((_, reject) =>
        child?.once('error', () => reject(new Error(REDIS_BINARY_MISSING))),
      );
      for (let i = 0; i < 100; i++) {
        const probe = await Promise.race([connectRedis(own.url).catch(() => null), failed]);
        if (probe !== null) return void probe.disconnect();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`redis-server did not start on port ${port}`);
    },
    async stop() {
      const running = child;
      if (running === undefined || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGKILL');
      await exited;
    },
  };
  await own.start();
  return own;
}

/**
 * A connection in MONITOR mode. Not `client.monitor()`: ioredis enters the mode a tick after
 * MONITOR's `OK`, so a line of other traffic that arrives with the `OK` reads as a reply to
 * no command ("Command queue state error"). `monitor()` then rejects and drops the
 * connection's error listener, and the next such line crashes the test run. Those lines
 * come before anything a test measures, so they are ignored here.
 */
export async function startMonitor(client: Redis): Promise<Redis> {
  const monitor = client.duplicate({ monitor: true, lazyConnect: false });
  await new Promise<void>((resolve, reject) => {
    monitor.once('monitoring', resolve);
    monitor.on('error', (error: Error) => {
      if (!error.message.startsWith('Command queue state error')) reject(error);
    });
  });
  return monitor;
}

/**
 * The commands Redis received that name a key under `prefix` while `run` ran, seen
 * through MONITOR on a connection of its own (so other tests' traffic is filtered out).
 */
export async function commandsDuring(
  client: Redis,
  prefix: string,
  run: () => Promise<unknown>,
): Promise<string[][]> {
  const monitor = await startMonitor(client);
  const seen: string[][] = [];
  const fence = `${prefix}fence:${randomBytes(4).toString('hex')}`;
  let fenced: () => void = () => {};
  const fenceSeen = new Promise<void>((resolve) => {
    fenced = resolve;
  });
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    // Commands a script runs show up too (source `lua`); they cost no round trip.
    if (source === 'lua') return;
    if (args.includes(fence)) fenced();
    else if (args.some((arg) => arg.startsWith(prefix))) seen.push(args);
  });
  try {
    await run();
    // MONITOR output lags the replies; a last command marks where `run` ended.
    await client.exists(fence);
    await fenceSeen;
  } finally {
    monitor.disconnect();
  }
  return seen;
}

/**
 * Connects before a test file's tests (failing loudly without Redis) and, after them,
 * deletes the file's keys under `prefix` and disconnects. `connected` receives the client.
 */
export function useRedis(prefix: () => string, connected: (client: Redis) => void): void {
  let client: Redis | undefined;
  beforeAll(async () => {
    client = await connectRedis();
    connected(client);
  });
  afterAll(async () => {
    if (client === undefined) return; // connecting failed: beforeAll reported why
    await deleteKeys(client, prefix());
    client.disconnect();
  });
}
