import { fromNodeRedis, type RedisArg, type RedisClient, redisStore } from '@lifeline/server/redis';
import { Hono } from 'hono';
import Redis from 'ioredis';
import { createClient } from 'redis';
import { deleteKeys } from '../../packages/server/src/redis/keys.fixture.js';
import { BODY } from './bare.js';
import { sessionCases } from './session.js';
import type { BenchCase } from './types.js';

/**
 * The Redis store's cases: the memory store's three, on a real Redis, once through each
 * supported client (`redis:` ioredis, `node-redis:` node-redis). Without REDIS_URL they
 * run against 127.0.0.1:6379 when it answers and are skipped with a note when it does
 * not; with REDIS_URL set, an unreachable Redis fails the bench.
 *
 * Each case's server counts the commands its store sends (round trips: every one goes
 * through the counted client) and prints them per request when it stops, beside Redis's
 * own tallies from `INFO`: scripts run (EVALSHA/EVAL) and all commands executed, which
 * include the ones a script calls inside Redis (no extra round trip). Those tallies are
 * server-wide, so other clients of the same Redis inflate them; the client count is exact.
 */
const URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A connected client as the store sees it, plus one raw `HGETALL` for the reference row. */
interface BenchClient {
  store: RedisClient;
  rawHgetall(key: string): Promise<unknown>;
  close(): void;
}

/** One Redis client library, configured as docs/redis.md recommends for throughput. */
interface ClientKind {
  /** Case id prefix. */
  name: string;
  connect(): Promise<BenchClient>;
}

const ioredis: ClientKind = {
  name: 'redis',
  async connect() {
    // Commands issued in one event-loop tick go out in one write.
    const client = new Redis(URL, {
      enableOfflineQueue: false,
      lazyConnect: true,
      enableAutoPipelining: true,
    });
    client.on('error', () => {});
    await client.connect();
    return {
      store: client,
      rawHgetall: (key) => client.call('HGETALL', key),
      close: () => client.disconnect(),
    };
  },
};

const nodeRedis: ClientKind = {
  name: 'node-redis',
  async connect() {
    // node-redis writes the commands of one tick together by itself.
    const client = createClient({ url: URL, disableOfflineQueue: true });
    client.on('error', () => {});
    await client.connect();
    return {
      store: fromNodeRedis(client),
      rawHgetall: (key) => client.sendCommand(['HGETALL', key]),
      close: () => client.destroy(),
    };
  },
};

/** An ioredis client for what the bench itself asks of Redis (never measured). */
async function admin(): Promise<Redis> {
  const client = new Redis(URL, { enableOfflineQueue: false, lazyConnect: true });
  client.on('error', () => {});
  await client.connect();
  return client;
}

async function answers(): Promise<boolean> {
  try {
    const probe = await admin();
    try {
      return (await probe.ping()) === 'PONG';
    } finally {
      probe.disconnect();
    }
  } catch {
    return false;
  }
}

/** Scripts run and commands executed so far, as the Redis server counts them. */
async function serverTally(client: Redis): Promise<{ scripts: number; executed: number }> {
  const info = await client.info('all');
  const field = (pattern: string) => Number(new RegExp(pattern).exec(info)?.[1] ?? 0);
  return {
    scripts: field('cmdstat_evalsha:calls=(\\d+)') + field('cmdstat_eval:calls=(\\d+)'),
    executed: field('total_commands_processed:(\\d+)'),
  };
}

/** The app's client with its store-facing commands counted: exact round trips. */
function countedClient(client: RedisClient) {
  const tally = { commands: 0 };
  const count = <T>(reply: T): T => {
    tally.commands++;
    return reply;
  };
  const { call } = client;
  const counted: RedisClient = {
    evalsha: (...args) => count(client.evalsha(...args)),
    eval: (...args) => count(client.eval(...args)),
    hgetall: (key) => count(client.hgetall(key)),
    // Session reads go through `call` when the client has it, as an ioredis client does.
    ...(call && {
      call: (command: string, ...args: RedisArg[]) => count(call.call(client, command, ...args)),
    }),
  };
  return { counted, tally };
}

const prefixFor = (kind: ClientKind) => `lifeline-bench:${process.pid}:${kind.name}:`;

function redisCase(kind: ClientKind, base: BenchCase): BenchCase {
  const ratio = base.id.endsWith('session-read') ? 0.5 : base.target?.ratio;
  return {
    ...base,
    target: { ...base.target, ...(ratio === undefined ? {} : { ratio }) },
    async prepare() {
      const [client, tallies] = [await kind.connect(), await admin()];
      const { counted, tally } = countedClient(client.store);
      const prefix = prefixFor(kind);
      const inner = sessionCases(kind.name, () => redisStore({ client: counted, prefix }), {
        touchEveryRequest: true,
      });
      const prepared = await inner.find((c) => c.id === base.id)!.prepare();
      // Start counting after the seeded session, so only the measured request shape counts.
      const [startServer, startClient] = [await serverTally(tallies), tally.commands];
      let requests = 0;
      return {
        ...prepared,
        fetch: (request) => {
          requests++;
          return prepared.fetch(request);
        },
        async close() {
          const server = await serverTally(tallies);
          const per = (n: number) => (n / requests).toFixed(3);
          console.log(
            `  ${base.id}: ${per(tally.commands - startClient)} Redis round trips/request (client count); ` +
              `by INFO: ${per(server.scripts - startServer.scripts)} scripts, ` +
              `${per(server.executed - startServer.executed)} commands executed incl. inside scripts; ` +
              `over ${requests} requests`,
          );
          await deleteKeys(tallies, prefix);
          client.close();
          tallies.disconnect();
        },
      };
    },
  };
}

/**
 * Not a target, a reference: bare Hono plus what any Redis-backed session costs before
 * any session logic, on the same client: one `HGETALL` of a session-sized hash awaited
 * per request, and one deadline-shaped header. The session read's distance from this row
 * is Lifeline's own work; this row's distance from bare Hono is the client, the loopback
 * round trip and Redis sharing the machine.
 */
const rawReadCase = (kind: ClientKind): BenchCase => ({
  id: `${kind.name}:raw-read`,
  title: `reference: bare Hono + one raw HGETALL + one header (no Lifeline, ${kind.name === 'redis' ? 'ioredis' : kind.name})`,
  async prepare() {
    const [client, keys] = [await kind.connect(), await admin()];
    // A real session's hash (the session-read case seeds one), so the reply is as long.
    const prefix = prefixFor(kind);
    const store = () => redisStore({ client: client.store, prefix });
    const seeded = await sessionCases(kind.name, store)[0]!.prepare();
    const [key] = await keys.keys(`${prefix}s:*`);
    if (key === undefined) throw new Error('seeding a session for the raw read failed');
    const app = new Hono();
    app.get('/read', async (c) => {
      const hash = await client.rawHgetall(key);
      const now = Date.now();
      c.header(
        'Session-Deadline',
        `idle=${now + 1_800_000}, absolute=${now + 28_800_000}, now=${now}`,
      );
      return c.json({ ...BODY, value: hash ? BODY.value : null });
    });
    return {
      fetch: app.fetch,
      request: { method: 'GET', path: '/read' },
      async close() {
        await seeded.close?.();
        await deleteKeys(keys, prefix);
        client.close();
        keys.disconnect();
      },
    };
  },
});

const required = process.env.REDIS_URL !== undefined;
const available = await answers();
// In `npm run bench` itself only: a case's server process loads this module too, and a Redis
// lost in the middle of a run must not stop the bare and memory cases' servers.
if (required && !available && process.send === undefined) {
  // Before any case runs: found after the memory cases, it lost their figures in a stack trace.
  console.error(`REDIS_URL: cannot connect to Redis at ${URL}; start one or unset REDIS_URL`);
  process.exit(1);
}
if (!available && !required) {
  console.log(
    'note: Redis cases skipped: no Redis answers on 127.0.0.1:6379 (set REDIS_URL to require one)',
  );
}

/** The template gives ids and titles; each case builds its own store in prepare(). */
const casesFor = (kind: ClientKind): BenchCase[] =>
  sessionCases(
    kind.name,
    () => {
      throw new Error('unused: redisCase builds the store');
    },
    { touchEveryRequest: true },
  )
    .map((base) => redisCase(kind, base))
    .concat(rawReadCase(kind));

/** The Redis store on a real server, or none when no Redis answers and REDIS_URL is unset. */
export const redisCases: BenchCase[] = available ? [ioredis, nodeRedis].flatMap(casesFor) : [];
