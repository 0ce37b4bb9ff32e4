import { describe, expect, it } from 'vitest';
import { ownTimeLimit } from '../store/deadlines.js';
import { sessionRecord } from '../testing/index.js';
import type { RedisArg, RedisClient } from './client.js';
import { type RedisStoreOptions, redisStore } from './index.js';

/** A client that answers every script with 1 and records which keys each one named. */
function recordingClient(isCluster: boolean) {
  const scripts: string[][] = [];
  const run = async (_script: string, numkeys: number, ...rest: RedisArg[]) => {
    scripts.push(rest.slice(0, numkeys).map(String));
    return 1;
  };
  const client: RedisClient & { isCluster: boolean } = {
    isCluster,
    evalsha: run,
    eval: run,
    hgetall: async () => ({}),
  };
  return { client, scripts };
}

describe('redisStore options', () => {
  it.each<[string, Partial<RedisStoreOptions>, RegExp]>([
    ['no client', { client: undefined }, /`client` must be a Redis client/],
    ['a client without hgetall', { client: { evalsha: async () => 1 } as never }, /`client`/],
    ['a prefix that is not a string', { prefix: 7 as never }, /`prefix` must be a string/],
    // Cluster would hash the prefix's tag, not the session's: a session's keys in two slots.
    ['a prefix with a hash tag', { prefix: '{app}:' }, /`prefix` must not contain `\{`/],
    [
      'a cluster flag that is not a boolean',
      { cluster: 'yes' as never },
      /`cluster` must be a boolean/,
    ],
    ['a zero command timeout', { commandTimeoutMs: 0 }, /`commandTimeoutMs` must be a positive/],
    // Unbounded, a stalled Redis held requests open that long, and past 2^31-1 ms the timer
    // overflowed and failed every command at once; session() caps storeTimeout the same.
    [
      'a command timeout over 60 s',
      { commandTimeoutMs: 60_001 },
      /`commandTimeoutMs` must be at most 60 s/,
    ],
    [
      'a command timeout past the timer range',
      { commandTimeoutMs: 2 ** 31 },
      /`commandTimeoutMs` must be at most 60 s/,
    ],
    ['a negative prune threshold', { pruneAbove: -1 }, /`pruneAbove` must be a positive/],
    ['a clock with fractions', { now: () => 1.5 }, /`now` must be a function returning whole/],
    ['a clock counting microseconds', { now: () => Date.now() * 1000 }, /`now` must be/],
    // Ignored, a misspelt prefix would put this app's keys beside another app's.
    ['a misspelt option', { prefx: 'app:' } as never, /`prefx` is not an option/],
    ['an onCorrupt that cannot be called', { onCorrupt: 'warn' as never }, /`onCorrupt` must/],
    [
      'a command timeout that is not a number',
      { commandTimeoutMs: Number.NaN },
      /`commandTimeoutMs`/,
    ],
    // `${value}` throws for these: the message must still name the option.
    [
      'a command timeout that is a symbol',
      { commandTimeoutMs: Symbol('t') as never },
      /`commandTimeoutMs`/,
    ],
    [
      'a prune threshold without a prototype',
      { pruneAbove: Object.create(null) as never },
      /`pruneAbove` must be a positive number, got object/,
    ],
  ])('refuses %s at start-up, naming the option', (_, overrides, message) => {
    const options = { client: recordingClient(false).client, ...overrides } as RedisStoreOptions;
    expect(() => redisStore(options)).toThrow(message);
  });

  it('accepts a command timeout of exactly 60 s', () => {
    const store = redisStore({ client: recordingClient(false).client, commandTimeoutMs: 60_000 });
    expect(ownTimeLimit(store.get)).toBe(60_000);
  });

  it('refuses `cluster: false` with a client that says it is a Redis Cluster', () => {
    expect(() => redisStore({ client: recordingClient(true).client, cluster: false })).toThrow(
      /`cluster: false` with a Redis Cluster client/,
    );
  });

  // Cluster mode shows in the commands: a create for a user is two scripts, each of one slot.
  const slotsOf = (keys: string[]) => new Set(keys.map((key) => /\{[^}]*\}/.exec(key)?.[0]));
  const createFor = async (client: RedisClient, options: Partial<RedisStoreOptions> = {}) =>
    redisStore({ client, ...options }).create(
      'sid-1',
      sessionRecord({ userId: 'ada' }),
      Date.now() + 60_000,
    );

  it('turns cluster mode on by itself for a Cluster client', async () => {
    const { client, scripts } = recordingClient(true);
    await createFor(client);
    expect(scripts.length).toBeGreaterThan(1);
    for (const keys of scripts) expect(slotsOf(keys).size).toBe(1);
  });

  it('keeps one script per create for a single-node client', async () => {
    const { client, scripts } = recordingClient(false);
    await createFor(client);
    expect(scripts).toHaveLength(1);
    expect(slotsOf(scripts[0]!).size).toBe(2);
  });

  it('bounds its session reads by commandTimeoutMs itself, and says so (writes it does not claim)', async () => {
    const never = () => new Promise<never>(() => {});
    const client: RedisClient = { evalsha: never, eval: never, hgetall: never, call: never };
    const store = redisStore({ client, commandTimeoutMs: 30 });
    expect(ownTimeLimit(store.get)).toBe(30);
    expect(ownTimeLimit(store.getAndTouch)).toBe(30);
    expect(ownTimeLimit(store.update)).toBeUndefined();
    const started = performance.now();
    await expect(store.get('sid')).rejects.toThrow(/did not answer within 30 ms/);
    const touch = { tokenHash: 'h', dueAtOrBefore: 0, now: 1, idleExpiresAt: 2 };
    await expect(store.getAndTouch!('sid', touch)).rejects.toThrow(/did not answer within 30 ms/);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
