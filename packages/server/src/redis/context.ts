import { sharedDeadline } from '../store/deadlines.js';
import type { RedisArg, RedisClient, ScriptCall } from './client.js';
import { luaScript, RedisTimeoutError } from './client.js';
import type { StoredHash } from './codec.js';
import type { Keyspace } from './keys.js';
import * as lua from './scripts.js';

/** A store record Redis holds but that fails validation (reported, then treated as absent). */
export interface RedisCorruption {
  kind: 'session' | 'credential' | 'user-index';
  /** The record's id (a hash, safe to log); for a user index, its key. */
  id: string;
  /** What is wrong, e.g. `field m:createdAt: expected number`. */
  issue: string;
}

/** What the session and credential halves of the store share, built once per store. */
export interface StoreContext {
  keys: Keyspace;
  /** Cluster mode: never put two slots' keys in one script. */
  cluster: boolean;
  now: () => number;
  /** Index size, beyond the live entries the last sweep kept, past which a create sweeps it. */
  pruneAbove: number;
  /** Per index key, the size past which this instance's next create sweeps it. */
  sweepDueAbove: Map<string, number>;
  /** Index sweeps under way, by index key (a create does not wait for its sweep). */
  sweeps: Map<string, Promise<unknown>>;
  onCorrupt: (event: RedisCorruption) => void;
  /** A session's whole hash: raw field/value pairs when the client can give them, else `hgetall`. */
  readHash(key: string): Promise<StoredHash>;
  run: { -readonly [K in keyof typeof lua]: ScriptCall };
}

/** Wires the client, the command timeout and the scripts into a {@link StoreContext}. */
export function storeContext(
  client: RedisClient,
  settings: Omit<StoreContext, 'readHash' | 'run' | 'sweepDueAbove' | 'sweeps'> & {
    commandTimeoutMs: number;
  },
): StoreContext {
  const { commandTimeoutMs, ...rest } = settings;
  // One shared timer for every command's limit: a command may still run later (a
  // client's offline queue), but every write script is conditional, so a late one
  // cannot revive an ended session.
  const limits = new Map<string, <T>(promise: Promise<T>) => Promise<T>>();
  const timed = <T>(promise: Promise<T>, what: string): Promise<T> => {
    let limit = limits.get(what);
    if (limit === undefined) {
      const message = `Redis ${what} did not answer within ${commandTimeoutMs} ms`;
      limit = sharedDeadline(commandTimeoutMs, () => new RedisTimeoutError(message));
      limits.set(what, limit);
    }
    return limit(promise);
  };
  const run = {} as StoreContext['run'];
  for (const [name, source] of Object.entries(lua) as Array<[keyof typeof lua, string]>) {
    const call = luaScript(client, source);
    run[name] = (keys: readonly string[], args: readonly RedisArg[]) =>
      timed(call(keys, args), `script ${name}`);
  }
  const hgetall = (key: string) => timed(client.hgetall(key), 'HGETALL');
  // `call` skips the client's pairs-to-object step (ioredis transforms only the lowercase
  // name): the decoder reads the pairs directly. Either reply shape decodes the same.
  const readHash: StoreContext['readHash'] = client.call
    ? (key) => timed(client.call!('HGETALL', key) as Promise<StoredHash>, 'HGETALL')
    : hgetall;
  return { ...rest, run, readHash, sweepDueAbove: new Map(), sweeps: new Map() };
}

/** True for the server's reply to a command on a key of another type (a foreign key). */
export function isWrongType(error: unknown): boolean {
  return String((error as Error | undefined)?.message).startsWith('WRONGTYPE');
}
