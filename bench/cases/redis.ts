import { redisStore } from '@lifeline/server/redis';
import { Hono } from 'hono';
import Redis from 'ioredis';
import { deleteKeys } from '../../packages/server/src/redis/keys.fixture.js';
import { BODY } from './bare.js';
import { sessionCases } from './session.js';
import type { BenchCase } from './types.js';

/**
 * The Redis store's cases: the memory store's three, on a real Redis. Without REDIS_URL
 * they run against 127.0.0.1:6379 when it answers and are skipped with a note when it
 * does not; with REDIS_URL set, an unreachable Redis fails the bench.
 *
 * Each case's server counts the commands its store sends (round trips: every one goes
 * through the counted client) and prints them per request when it stops, beside Redis's
 * own tallies from `INFO`: scripts run (EVALSHA/EVAL) and all commands executed, which
 * include the ones a script calls inside Redis (no extra round trip). Those tallies are
 * server-wide, so other clients of the same Redis inflate them; the client count is exact.
 */
const URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

// The client an app would configure for throughput (docs/redis.md): commands issued in
// one event-loop tick go out in one write.
function connect(): Redis {
  const client = new Redis(URL, {
    enableOfflineQueue: false,
    lazyConnect: true,
    enableAutoPipelining: true,
  });
  client.on('error', () => {});
  return client;
}

async function answers(): Promise<boolean> {
  const probe = connect();
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
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
function countedClient(client: Redis) {
  const tally = { commands: 0 };
  const count = <T>(reply: T): T => {
    tally.commands++;
    return reply;
  };
  const counted = {
    evalsha: (...args: Parameters<Redis['evalsha']>) => count(client.evalsha(...args)),
    eval: (...args: Parameters<Redis['eval']>) => count(client.eval(...args)),
    hgetall: (key: string) => count(client.hgetall(key)),
    // Session reads go through `call` when the client has it, as an ioredis client does.
    call: (command: string, ...args: Array<string | number>) =>
      count(client.call(command, ...args)),
  };
  return { counted, tally };
}

function redisCase(base: BenchCase): BenchCase {
  const ratio = base.id.endsWith('session-read') ? 0.5 : base.target?.ratio;
  return {
    ...base,
    target: { ...base.target, ...(ratio === undefined ? {} : { ratio }) },
    async prepare() {
      const client = connect();
      await client.connect();
      const { counted, tally } = countedClient(client);
      const prefix = `lifeline-bench:${process.pid}:`;
      const inner = sessionCases('redis', () => redisStore({ client: counted, prefix }), {
        touchEveryRequest: true,
      });
      const prepared = await inner.find((c) => c.id === base.id)!.prepare();
      // Start counting after the seeded session, so only the measured request shape counts.
      const [startServer, startClient] = [await serverTally(client), tally.commands];
      let requests = 0;
      return {
        ...prepared,
        fetch: (request) => {
          requests++;
          return prepared.fetch(request);
        },
        async close() {
          const server = await serverTally(client);
          const per = (n: number) => (n / requests).toFixed(3);
          console.log(
            `  ${base.id}: ${per(tally.commands - startClient)} Redis round trips/request (client count); ` +
              `by INFO: ${per(server.scripts - startServer.scripts)} scripts, ` +
              `${per(server.executed - startServer.executed)} commands executed incl. inside scripts; ` +
              `over ${requests} requests`,
          );
          await deleteKeys(client, prefix);
          client.disconnect();
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
const rawReadCase: BenchCase = {
  id: 'redis:raw-read',
  title: 'reference: bare Hono + one raw HGETALL + one header (no Lifeline)',
  async prepare() {
    const client = connect();
    await client.connect();
    // A real session's hash (the session-read case seeds one), so the reply is as long.
    const prefix = `lifeline-bench:${process.pid}:`;
    const seeded = await sessionCases('redis', () => redisStore({ client, prefix }))[0]!.prepare();
    const [key] = await client.keys(`${prefix}s:*`);
    if (key === undefined) throw new Error('seeding a session for the raw read failed');
    const app = new Hono();
    app.get('/read', async (c) => {
      const hash = (await client.call('HGETALL', key)) as string[];
      const now = Date.now();
      c.header(
        'Session-Deadline',
        `idle=${now + 1_800_000}, absolute=${now + 28_800_000}, now=${now}`,
      );
      return c.json({ ...BODY, value: hash.length > 0 ? BODY.value : null });
    });
    return {
      fetch: app.fetch,
      request: { method: 'GET', path: '/read' },
      async close() {
        await seeded.close?.();
        await deleteKeys(client, prefix);
        client.disconnect();
      },
    };
  },
};

const available = process.env.REDIS_URL !== undefined || (await answers());
if (!available) {
  console.log(
    'note: Redis cases skipped: no Redis answers on 127.0.0.1:6379 (set REDIS_URL to require one)',
  );
}

/** The Redis store on a real server, or none when no Redis answers and REDIS_URL is unset. */
export const redisCases: BenchCase[] = available
  ? // The template gives ids and titles; each case builds its own store in prepare().
    sessionCases(
      'redis',
      () => {
        throw new Error('unused: redisCase builds the store');
      },
      { touchEveryRequest: true },
    )
      .map(redisCase)
      .concat(rawReadCase)
  : [];
