import { checkExpiresAt } from '../store/expires-at.js';
import type { SessionMethods } from '../store/own.js';
import type {
  ExpireResult,
  PreviousToken,
  SessionRecord,
  TouchIfDue,
  WriteResult,
} from '../store/types.js';
import {
  decodeSession,
  isEmptyHash,
  json,
  patchFields,
  recordFields,
  type StoredHash,
} from './codec.js';
import { isWrongType, type StoreContext } from './context.js';
import { touchHints } from './touch-hints.js';
import {
  expectReply,
  indexAdd,
  indexSize,
  replyAndOwner,
  sweepIfDue,
  sweepIndex,
} from './user-index.js';

const WRITE: readonly WriteResult[] = ['ok', 'missing'];
const EXPIRE: readonly ExpireResult[] = [...WRITE, 'live'];

/**
 * The session half of the Redis store. `get` is one `HGETALL`; `getAndTouch` is that too
 * while the touch is certainly not due, else the `READ_TOUCH` script; every write is one
 * Lua script on the session's own key. An ordinary request costs one round trip.
 */
export function sessionMethods(ctx: StoreContext): SessionMethods {
  const { keys, run } = ctx;
  const hints = touchHints();
  /** The record and its sealed successor's key, in one hash tag (one cluster slot). */
  const sessionKeys = (sid: string) => [keys.session(sid), keys.sessionSealed(sid)];

  async function get(sid: string): Promise<SessionRecord | null> {
    let hash: StoredHash | null;
    try {
      hash = await ctx.readHash(keys.session(sid));
    } catch (error) {
      if (!isWrongType(error)) throw error;
      hash = null;
    }
    return decoded(sid, hash);
  }

  /** The record in a stored hash (`null`: a foreign key), or null with a report. */
  function decoded(sid: string, hash: StoredHash | null): SessionRecord | null {
    if (hash === null) {
      ctx.onCorrupt({ kind: 'session', id: sid, issue: 'key is not a hash' });
      return null;
    }
    if (isEmptyHash(hash)) return null;
    const result = decodeSession(hash);
    if (!result.ok) {
      ctx.onCorrupt({ kind: 'session', id: sid, issue: result.issue });
      return null;
    }
    const record = result.value;
    if (record.ended === null) hints.remember(sid, record.lastActiveAt);
    // The sealed successor is in its own key (an empty placeholder here), or inline in a
    // record written before it had one, and then only inside its window.
    const previous = record.previous;
    const sealed = previous?.sealedSuccessor;
    if (sealed !== undefined && (sealed === '' || !stillSealed(previous!, ctx.now()))) {
      delete previous!.sealedSuccessor;
    }
    return record;
  }

  /** The `READ_TOUCH` script: the hash, touched in the same script when the touch is due. */
  async function readAndTouch(sid: string, touch: TouchIfDue): Promise<SessionRecord | null> {
    const args = [touch.tokenHash, touch.dueAtOrBefore, touch.now, touch.idleExpiresAt].map(json);
    const reply = await run.READ_TOUCH([keys.session(sid)], args);
    // The script answers HGETALL's pairs (a Lua table), or `wrongtype` for a foreign key.
    if (reply === 'wrongtype') return decoded(sid, null);
    return decoded(sid, Array.isArray(reply) ? reply : []);
  }

  async function listByUser(userId: string) {
    const now = ctx.now();
    const kept = await sweepIndex(
      ctx,
      keys.userSessions(userId),
      get,
      (record) => record.ended === null && record.userId === userId && !longDead(record, now),
    );
    return kept.map(({ id, record }) => ({ sid: id, record }));
  }

  return {
    get,
    listByUser,

    getAndTouch(sid, touch) {
      // Most reads fall inside the touch interval: a plain HGETALL spares Redis the script.
      return hints.notDue(sid, touch.dueAtOrBefore) ? get(sid) : readAndTouch(sid, touch);
    },

    async create(sid, record, expiresAt) {
      checkExpiresAt('redisStore', expiresAt);
      // Checked before the index key is built from `userId`, so an error names the field.
      const fields = recordFields(record);
      const { userId } = record;
      const index = userId !== null && record.ended === null ? keys.userSessions(userId) : null;
      const args = [expiresAt, sid, record.createdAt, ...fields];
      // One script for record and index, unless they sit in two cluster slots.
      const together = index !== null && !ctx.cluster;
      const reply = await run.CREATE(
        together ? [keys.session(sid), index] : [keys.session(sid)],
        args,
      );
      if (Number(reply) === -1) return false;
      // Cluster: the index entry follows the record; if it fails the caller gets a
      // rejection and never hands out a cookie for the unindexed record.
      const size =
        index === null
          ? 0
          : together
            ? indexSize(ctx, index, reply)
            : await indexAdd(ctx, index, sid, record.createdAt, expiresAt);
      if (userId !== null && index !== null) {
        sweepIfDue(ctx, index, size, () => listByUser(userId));
      }
      return true;
    },

    async update(sid, patch, expiresAt) {
      checkExpiresAt('redisStore', expiresAt);
      const { set, unset } = patchFields(patch);
      const newUser = patch.meta?.userId;
      const index = typeof newUser === 'string' ? keys.userSessions(newUser) : null;
      // A new owner is indexed before the record says so (a failed write leaves only a
      // stale entry) and again after, in case a concurrent listing pruned it in between.
      if (index !== null) await indexAdd(ctx, index, sid, ctx.now(), expiresAt);
      const args = [expiresAt, set.length / 2, ...set, ...unset];
      const reply = await run.SESSION_UPDATE([keys.session(sid)], args);
      // A record that now outlives its user's index (set by `create()`) moves the index's
      // expiry too, or `listByUser()` would lose it when the index expires.
      const [result, owner] = replyAndOwner(reply, WRITE);
      const reindex = index ?? (owner === null ? null : keys.userSessions(owner));
      if (reindex !== null && result === 'ok') {
        await indexAdd(ctx, reindex, sid, ctx.now(), expiresAt);
      }
      return result;
    },

    async getSealedSuccessor(sid) {
      let reply: unknown;
      try {
        reply = await run.SESSION_SEALED([keys.sessionSealed(sid)], []);
      } catch (error) {
        if (!isWrongType(error)) throw error;
        ctx.onCorrupt({ kind: 'session', id: sid, issue: 'sealed successor key is not a string' });
        return null;
      }
      return typeof reply === 'string' ? reply : null;
    },

    async rotate(sid, swap, expiresAt) {
      checkExpiresAt('redisStore', expiresAt);
      // The sealed successor lives in its own key, so it can expire when its window
      // closes without a write to the record (see docs/redis.md).
      const { previous } = swap;
      const sealedSuccessor = previous.sealedSuccessor ?? '';
      const args = [
        expiresAt,
        json(swap.expectedTokenHash),
        json(swap.tokenHash),
        json(inHash(previous)),
        json(swap.rotatedAt),
        sealedSuccessor,
        // From now, not `rotatedAt` (the request's start, which a slow handler leaves far back).
        previous.confirmed === false ? 0 : windowRest(previous.until, ctx.now()),
      ];
      const reply = await run.SESSION_ROTATE(sessionKeys(sid), args);
      const [result, owner] = replyAndOwner(reply, ['ok', 'conflict', 'missing'] as const);
      // A record that now outlives its user's index moves the index's expiry too.
      if (owner !== null && result === 'ok') {
        await indexAdd(ctx, keys.userSessions(owner), sid, ctx.now(), expiresAt);
      }
      return result;
    },

    async confirmRotation(sid, { tokenHash, previous, at }) {
      const args = [json(tokenHash), json(inHash(previous)), windowRest(previous.until, at)];
      const reply = await run.SESSION_CONFIRM(sessionKeys(sid), args);
      return expectReply(reply, ['ok', 'conflict', 'missing'] as const);
    },

    async end(sid, ended, expiresAt) {
      checkExpiresAt('redisStore', expiresAt);
      const reply = await run.SESSION_END(sessionKeys(sid), [expiresAt, json(ended)]);
      return expectReply(reply, WRITE);
    },

    async endIfExpired(sid, ended, expiresAt, now) {
      checkExpiresAt('redisStore', expiresAt);
      const args = [expiresAt, json(ended), json(now)];
      const reply = await run.SESSION_END(sessionKeys(sid), args);
      return expectReply(reply, EXPIRE);
    },
  };
}

/**
 * What is left of a grace window ending at `until`, counted from the app's instant `at`,
 * in ms (at least 1: `PEXPIRE` with 0 would delete at once). A time to live rather than an
 * instant, so a Redis clock that differs from the app's neither stretches nor closes it.
 */
function windowRest(until: number, at: number): number {
  return Math.max(1, Math.ceil(until - at));
}

/**
 * `m:previous` as stored: the sealed successor left empty (it has its own key), present
 * so that a version that kept it inline still reads the record during a rolling deploy.
 */
function inHash(previous: PreviousToken): PreviousToken {
  return { ...previous, sealedSuccessor: '' };
}

/** Whether a predecessor's sealed successor may still be handed out at `now`. */
function stillSealed(previous: PreviousToken, now: number): boolean {
  return previous.confirmed === false || now < previous.until;
}

/**
 * How long past a deadline a session that nobody ended stays listed: another instance's
 * clock may run behind this one's, and to it the session may still be live.
 */
const DEAD_AFTER_MS = 60_000;

/**
 * A session past its absolute deadline by more than {@link DEAD_AFTER_MS}: dead to every
 * instance, for good (a request in flight can only write an idle deadline capped at the
 * absolute one), so its index entry goes. Kept, a user who signs in often without signing
 * out would carry every such session until its record expires, and each sign-in past
 * `pruneAbove` would read them all. Not its idle deadline: a request that resolved the
 * session before that deadline and commits after it moves it forward again, so a session
 * idle past it must still be listed (revoke-all ends it; the manager lists sessions not
 * ended "whatever their deadlines" for that reason), and an entry pruned then would leave
 * the revived session out of every later listing.
 */
function longDead(record: SessionRecord, now: number): boolean {
  return now >= record.absoluteExpiresAt + DEAD_AFTER_MS;
}
