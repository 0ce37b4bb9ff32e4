import type { RedisArg, RedisClient, ScriptCall } from './client.js';
import { luaScript, withTimeout } from './client.js';
import type { Keyspace } from './keys.js';
import * as lua from './scripts.js';

/** A store record Redis holds but that fails validation (reported, then treated as absent). */
export interface RedisCorruption {
  kind: 'session' | 'credential';
  /** The record's id (a hash, safe to log). */
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
  /** Index size past which creating a record prunes the user's index first. */
  pruneAbove: number;
  onCorrupt: (event: RedisCorruption) => void;
  hgetall(key: string): Promise<Record<string, string>>;
  run: { -readonly [K in keyof typeof lua]: ScriptCall };
}

/** Wires the client, the command timeout and the scripts into a {@link StoreContext}. */
export function storeContext(
  client: RedisClient,
  settings: Omit<StoreContext, 'hgetall' | 'run'> & { commandTimeoutMs: number },
): StoreContext {
  const { commandTimeoutMs, ...rest } = settings;
  const timed = <T>(promise: Promise<T>, what: string) =>
    withTimeout(promise, commandTimeoutMs, what);
  const run = {} as StoreContext['run'];
  for (const [name, source] of Object.entries(lua) as Array<[keyof typeof lua, string]>) {
    const call = luaScript(client, source);
    run[name] = (keys: readonly string[], args: readonly RedisArg[]) =>
      timed(call(keys, args), `script ${name}`);
  }
  return { ...rest, run, hgetall: (key) => timed(client.hgetall(key), 'HGETALL') };
}

/** True for the server's reply to a command on a key of another type (a foreign key). */
export function isWrongType(error: unknown): boolean {
  return String((error as Error | undefined)?.message).startsWith('WRONGTYPE');
}
