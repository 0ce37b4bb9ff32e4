import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis, { Cluster } from 'ioredis';
import { REDIS_BINARY_MISSING } from './redis.fixture.js';

/**
 * Test support: a real Redis Cluster of its own (three masters, no replicas) on free
 * ports, so the store's cluster mode is exercised where cross-slot mistakes are errors.
 */
export interface OwnRedisCluster {
  ports: number[];
  /** A cluster client as an app would configure it (fail fast, no offline queue). */
  connect(): Promise<Cluster>;
  stop(): Promise<void>;
}

const SLOTS = 16384;
const BUS_OFFSET = 10_000; // Redis's cluster bus listens on port + 10000

/** Whether nothing listens on `port` at 127.0.0.1 right now. */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A free port whose cluster-bus port is free as well, both below Linux's ephemeral range
 * (32768 and up). An OS-chosen free port's bus port used to land in that range, where an
 * outgoing connection of a parallel test could take it first: that node never started and
 * the whole suite timed out.
 */
async function clusterPort(taken: Set<number>): Promise<number> {
  for (;;) {
    const port = 12_000 + Math.floor(Math.random() * 10_000); // bus ports 22000-31999
    if (taken.has(port) || !(await canListen(port)) || !(await canListen(port + BUS_OFFSET))) {
      continue;
    }
    taken.add(port);
    return port;
  }
}

async function waitFor(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Redis Cluster: ${what} did not happen in 10 s`);
}

/** Starts `size` cluster-enabled `redis-server`s, assigns them the slots and joins them. */
export async function ownRedisCluster(size = 3): Promise<OwnRedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-cluster-'));
  const taken = new Set<number>();
  const ports: number[] = [];
  for (let i = 0; i < size; i++) ports.push(await clusterPort(taken));
  const children: ChildProcess[] = [];
  const admins: Redis[] = [];
  // A binary that cannot start fails the set-up at once (the pings below would wait).
  const spawnFailures: Promise<never>[] = [];
  const stop = async () => {
    for (const admin of admins) admin.disconnect();
    await Promise.all(
      children.map((child) => {
        if (child.exitCode !== null) return undefined;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        return exited;
      }),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports) {
      const node = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir];
      const memoryOnly = ['--save', '', '--appendonly', 'no'];
      const clustered = ['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`];
      const child = spawn('redis-server', [...node, ...memoryOnly, ...clustered], {
        stdio: 'ignore',
      });
      spawnFailures.push(
        new Promise((_, reject) =>
          child.once('error', () => reject(new Error(REDIS_BINARY_MISSING))),
        ),
      );
      children.push(child);
      const admin = new Redis(port, '127.0.0.1', { lazyConnect: true, retryStrategy: () => 50 });
      admin.on('error', () => {});
      admins.push(admin);
    }
    await Promise.race([
      ...spawnFailures,
      Promise.all(
        admins.map((admin, i) =>
          waitFor(`redis-server on port ${ports[i]} answering`, async () => {
            await admin.connect().catch(() => {});
            return (await admin.ping()) === 'PONG';
          }),
        ),
      ),
    ]);
    // Contiguous slot ranges, one per master, then every node meets the first.
    const share = Math.ceil(SLOTS / size);
    await Promise.all(
      admins.map((admin, i) =>
        admin.call('CLUSTER', 'ADDSLOTSRANGE', i * share, Math.min(SLOTS, (i + 1) * share) - 1),
      ),
    );
    for (const port of ports.slice(1)) await admins[0]!.call('CLUSTER', 'MEET', '127.0.0.1', port);
    await Promise.all(
      admins.map((admin) =>
        waitFor('the cluster agreeing on its nodes and slots', async () => {
          const info = String(await admin.call('CLUSTER', 'INFO'));
          return info.includes('cluster_state:ok') && info.includes(`cluster_known_nodes:${size}`);
        }),
      ),
    );
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    ports,
    async connect() {
      const cluster = new Cluster(
        ports.map((port) => ({ host: '127.0.0.1', port })),
        { enableOfflineQueue: false, redisOptions: { maxRetriesPerRequest: 1 } },
      );
      cluster.on('error', () => {});
      await new Promise<void>((resolve, reject) => {
        cluster.once('ready', resolve);
        cluster.once('end', () => reject(new Error('Redis Cluster client could not connect')));
      });
      return cluster;
    },
    stop,
  };
}
