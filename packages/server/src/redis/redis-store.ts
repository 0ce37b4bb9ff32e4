import { EPOCH_CLOCK, isEpochClock } from '../config/clock.js';
import { type KnownOptions, refuseUnknownOptions } from '../config/known-options.js';
import { shown } from '../config/shown.js';
import { guardHook } from '../events/hook.js';
import { declareOwnTimeLimits } from '../store/deadlines.js';
import { MAX_STORE_TIMEOUT_MS } from '../store/timeout.js';
import type { SessionStore } from '../store/types.js';
import type { RedisClient } from './client.js';
import { type RedisCorruption, storeContext } from './context.js';
import { credentialMethods } from './credentials.js';
import { keyspace } from './keys.js';
import { sessionMethods } from './sessions.js';

/** Options of {@link redisStore}. */
export interface RedisStoreOptions {
  /**
   * The app's own Redis client: an ioredis `Redis` or `Cluster` works as is (create it
   * with `enableOfflineQueue: false`, see docs/redis.md); node-redis needs a small wrapper.
   */
  client: RedisClient;
  /** Prepended to every key. Default `'lifeline:'`. */
  prefix?: string;
  /**
   * Redis Cluster: user-index writes run as separate commands, never in a script with a
   * session key of another slot. Default: `true` for a client that says it is one (an
   * ioredis `Cluster` has `isCluster: true`), else `false` (one script per create).
   */
  cluster?: boolean;
  /**
   * A command that has not answered after this many ms rejects (503 upstream). Default
   * `1000`, at most 60 s.
   */
  commandTimeoutMs?: number;
  /**
   * A user index holding more than this many entries beyond the live ones its last sweep
   * kept is swept of stale entries on the next create. Default `50`.
   */
  pruneAbove?: number;
  /** The clock, epoch ms. Default `Date.now`. */
  now?: () => number;
  /**
   * Told about a stored record that fails validation; the store then treats it as absent.
   * Default: `console.warn` with the record's id (a hash) and the issue.
   */
  onCorrupt?: (event: RedisCorruption) => void;
}

/** The Redis store: a {@link SessionStore} that also tells when its tidy-ups are done. */
export interface RedisSessionStore extends SessionStore {
  /**
   * Resolves once the user-index sweeps this store started have finished. A sign-in does
   * not wait for the sweep its create starts; await this before closing the client at
   * shutdown (a sweep cut short is tried again only once that user's index has grown as a
   * due sweep requires), or in a test that inspects the indexes. It never rejects.
   */
  settled(): Promise<void>;
}

function defaultOnCorrupt(event: RedisCorruption): void {
  console.warn(`lifeline redisStore: ignoring corrupt ${event.kind} ${event.id}: ${event.issue}`);
}

/** Whether the client says it talks to a Redis Cluster (ioredis sets `isCluster`). */
function isClusterClient(client: RedisClient): boolean {
  return (client as { isCluster?: unknown } | undefined)?.isCluster === true;
}

const REDIS_STORE_OPTIONS: KnownOptions<RedisStoreOptions> = {
  client: true,
  prefix: true,
  cluster: true,
  commandTimeoutMs: true,
  pruneAbove: true,
  now: true,
  onCorrupt: true,
};

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new TypeError(`redisStore: \`${name}\` must be a positive number, got ${shown(value)}`);
  }
  return value;
}

/**
 * A {@link SessionStore} on Redis, for several server instances sharing sessions.
 *
 * A session is one HASH (`d:<key>` data fields, `m:<name>` meta fields) under
 * `<prefix>s:{<sid>}`; reading it is one `HGETALL`, every write one Lua script (EVALSHA,
 * falling back to EVAL), so an ordinary request costs one round trip. Expiry is the
 * key's own PEXPIREAT. The store never closes the client: the app owns it.
 *
 * @example
 * import { Redis } from 'ioredis';
 * import { redisStore } from '@lifeline/server/redis';
 *
 * const client = new Redis(process.env.REDIS_URL, { enableOfflineQueue: false });
 * app.use(session({ store: redisStore({ client, prefix: 'myapp:' }) }));
 */
export function redisStore(options: RedisStoreOptions): RedisSessionStore {
  refuseUnknownOptions('redisStore', options, REDIS_STORE_OPTIONS);
  const {
    client,
    prefix = 'lifeline:',
    cluster = isClusterClient(options.client),
    commandTimeoutMs = 1000,
    pruneAbove = 50,
    now = Date.now,
    onCorrupt = defaultOnCorrupt,
  } = options;
  if (typeof client?.evalsha !== 'function' || typeof client.hgetall !== 'function') {
    throw new TypeError('redisStore: `client` must be a Redis client (evalsha, eval, hgetall)');
  }
  if (typeof prefix !== 'string') throw new TypeError('redisStore: `prefix` must be a string');
  // Redis Cluster hashes only the first `{…}` of a key: braces in the prefix would take
  // the place of the store's own hash tags and split a session's keys across slots.
  if (/[{}]/.test(prefix)) {
    throw new TypeError(
      'redisStore: `prefix` must not contain `{` or `}` (Redis Cluster hash tags)',
    );
  }
  if (!isEpochClock(now)) throw new TypeError(`redisStore: \`now\` ${EPOCH_CLOCK}`);
  if (typeof cluster !== 'boolean') throw new TypeError('redisStore: `cluster` must be a boolean');
  // Checked here, or the first corrupt record would throw inside a request (a 500).
  if (typeof onCorrupt !== 'function') {
    throw new TypeError('redisStore: `onCorrupt` must be a function');
  }
  // Single-node scripts name keys of two slots: every create would fail with CROSSSLOT.
  if (!cluster && isClusterClient(client)) {
    throw new TypeError('redisStore: `cluster: false` with a Redis Cluster client; leave it unset');
  }
  if (positive('commandTimeoutMs', commandTimeoutMs) > MAX_STORE_TIMEOUT_MS) {
    throw new TypeError(
      `redisStore: \`commandTimeoutMs\` must be at most 60 s, got ${commandTimeoutMs}`,
    );
  }
  const ctx = storeContext(client, {
    keys: keyspace(prefix),
    cluster,
    now,
    // Called in the middle of a read: a hook that fails must not turn "absent" into a 503.
    onCorrupt: guardHook('redisStore onCorrupt', onCorrupt),
    pruneAbove: positive('pruneAbove', pruneAbove),
    commandTimeoutMs: positive('commandTimeoutMs', commandTimeoutMs),
  });
  // A session read is one command (HGETALL, the READ_TOUCH or SESSION_SEALED script)
  // under the command limit, so the middleware's guard need not time it a second time.
  const settled = async (): Promise<void> => {
    while (ctx.sweeps.size > 0) await Promise.all(ctx.sweeps.values());
  };
  return declareOwnTimeLimits(
    { ...sessionMethods(ctx), ...credentialMethods(ctx), settled },
    { get: commandTimeoutMs, getAndTouch: commandTimeoutMs, getSealedSuccessor: commandTimeoutMs },
  );
}
