import { mapInBatches } from './batches.js';
import { parseOrUndefined } from './codec.js';
import type { StoreContext } from './context.js';

/**
 * Per-user indexes: a ZSET of record ids scored by creation time (oldest first, which is
 * the order a concurrent-session limit evicts in). Entries are hints, never the truth:
 * whoever reads an index checks each record and removes the entries whose record is gone,
 * ended or now belongs to someone else. So nothing relies on keyspace notifications, and
 * an index may hold stale entries but never misses a record written through the store.
 */

/**
 * Adds `id`, whose record expires at `expiresAt`, to the index (an existing entry keeps
 * its score); resolves to the index size.
 */
export async function indexAdd(
  ctx: StoreContext,
  key: string,
  id: string,
  score: number,
  expiresAt: number,
): Promise<number> {
  return indexSize(ctx, key, await ctx.run.INDEX_ADD([key], [score, id, expiresAt]));
}

/**
 * The index size a script's `indexAdd` answered ({ size, replaced }), reporting an index
 * key it found holding another type and replaced.
 */
export function indexSize(ctx: StoreContext, key: string, reply: unknown): number {
  if (!Array.isArray(reply)) return Number(reply);
  if (Number(reply[1]) === 1) {
    ctx.onCorrupt({ kind: 'user-index', id: key, issue: 'key is not a sorted set (replaced)' });
  }
  return Number(reply[0]);
}

/** Index keys whose last sweep this instance remembers; past it, it starts again. */
const REMEMBERED_SWEEPS = 10_000;

/** Remembers that a create sweeps the index `key` once it holds more than `size` entries. */
function sweepDueAbove(ctx: StoreContext, key: string, size: number): void {
  if (ctx.sweepDueAbove.size >= REMEMBERED_SWEEPS) ctx.sweepDueAbove.clear();
  ctx.sweepDueAbove.set(key, size);
}

/**
 * After a create that left the index at `size` entries, starts `sweep` when it is due: when
 * the index holds more entries beyond the live ones its last sweep kept than `pruneAbove`
 * and than those live ones, and no sweep of it is under way.
 * A user with many live sessions is then not swept on every sign-in (a sweep reads every
 * entry's record), and the index never holds more stale entries than that (a sweep's
 * duration aside). A tidy-up, so the create does not wait for it: the record and its
 * entry are written, and a sweep of a huge index outlived the caller's time limit (the
 * sign-in answered 503 after its session was made). Creates meanwhile start no second
 * sweep of that index, and a failed one is not tried again until the index grows by
 * `pruneAbove` more than the size it started at.
 */
export function sweepIfDue(
  ctx: StoreContext,
  key: string,
  size: number,
  sweep: () => Promise<unknown>,
): void {
  // One sweep of an index at a time: a huge index grows by `pruneAbove` while it is swept,
  // and overlapping sweeps of 20k entries made 782 reads a sign-in.
  // Due past `pruneAbove` beyond the live count the last sweep kept, or that count again,
  // whichever is more (sweepIndex sets it): a sweep reads every entry, so a user with 20k
  // live sessions swept every 50 sign-ins paid 400 reads a sign-in; growing with the
  // index, a sweep costs at most about two reads a create.
  if (ctx.sweeps.has(key) || size <= (ctx.sweepDueAbove.get(key) ?? ctx.pruneAbove)) return;
  const running = sweep()
    // Not retried on the very next create: a sweep that timed out on a huge index would
    // then run on every sign-in. Counted from the size it failed at, not doubled.
    .catch(() => sweepDueAbove(ctx, key, size + ctx.pruneAbove))
    .finally(() => ctx.sweeps.delete(key));
  ctx.sweeps.set(key, running);
}

/** Every id in the index, oldest first; none (reported) for a key of another type. */
export async function indexMembers(ctx: StoreContext, key: string): Promise<string[]> {
  const reply = await ctx.run.INDEX_READ([key], []);
  if (reply === 'wrongtype') {
    ctx.onCorrupt({ kind: 'user-index', id: key, issue: 'key is not a sorted set' });
  }
  if (!Array.isArray(reply)) return [];
  const ids = reply.filter((member): member is string => typeof member === 'string');
  // Under Redis Cluster an id that is empty or starts with `}` leaves its keys an empty hash
  // tag, so they hash to different slots and every script naming two of them fails
  // (CROSSSLOT): a revoke-all failed for good. No record of ours has one (its create
  // failed the same way), so such an entry is foreign: reported and removed.
  const foreign = ctx.cluster ? ids.filter((id) => id === '' || id.startsWith('}')) : [];
  if (foreign.length === 0) return ids;
  ctx.onCorrupt({ kind: 'user-index', id: key, issue: 'member with no hash tag (removed)' });
  await ctx.run.INDEX_REMOVE([key], foreign);
  return ids.filter((id) => !foreign.includes(id));
}

/**
 * Reads the index and each of its records, drops the entries `keep` rejects, and returns
 * the kept records in index order.
 */
export async function sweepIndex<T>(
  ctx: StoreContext,
  key: string,
  load: (id: string) => Promise<T | null>,
  keep: (record: T) => boolean,
): Promise<Array<{ id: string; record: T }>> {
  const ids = await indexMembers(ctx, key);
  const loaded = await mapInBatches(ids, async (id) => ({ id, record: await load(id) }));
  const kept: Array<{ id: string; record: T }> = [];
  const stale: string[] = [];
  for (const { id, record } of loaded) {
    if (record !== null && keep(record)) kept.push({ id, record });
    else stale.push(id);
  }
  if (stale.length > 0) await ctx.run.INDEX_REMOVE([key], stale);
  sweepDueAbove(ctx, key, kept.length + Math.max(ctx.pruneAbove, kept.length));
  return kept;
}

/**
 * A write script's reply: its status, and the owner it names when the record now lives
 * longer than its owner's index may (`{ status, owner }`; the owner as stored JSON text).
 */
export function replyAndOwner<T extends string>(
  reply: unknown,
  allowed: readonly T[],
): [T, string | null] {
  if (!Array.isArray(reply)) return [expectReply(reply, allowed), null];
  const value = typeof reply[1] === 'string' ? parseOrUndefined(reply[1]) : null;
  return [expectReply(reply[0], allowed), typeof value === 'string' ? value : null];
}

/** Checks a script's status reply against the values it may return. */
export function expectReply<T extends string>(reply: unknown, allowed: readonly T[]): T {
  if (allowed.includes(reply as T)) return reply as T;
  throw new Error(`redisStore: unexpected script reply ${JSON.stringify(reply)}`);
}
