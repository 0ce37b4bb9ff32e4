import { problemResponse } from '../problem/problem.js';
import type { SessionRecord } from '../store/types.js';
import { deadlinePassed, endRecord, expireRecord } from './end-record.js';
import type { Runtime } from './runtime.js';

/**
 * `regenerate({ userId })` met `maxSessionsPerUser` with `onSessionLimit: 'refuse'`.
 * Uncaught, it becomes a 409 `session_limit` and the visitor's current session is kept;
 * `getResponse()` also spares Hono's default error handler a logged stack trace.
 */
export class SessionLimitError extends Error {
  override name = 'SessionLimitError';
  constructor(
    readonly userId: string,
    readonly limit: number,
  ) {
    super(`user already has ${limit} live sessions`);
  }
  /** @param handled the refusal comes after the app's handler ran (see `ProblemOptions`). */
  getResponse(handled?: boolean): Response {
    return problemResponse('session_limit', {
      detail: 'Sign out on another device first, then try again.',
      handled,
    });
  }
}

/**
 * The login's device: the request's own session (which it replaces) and the remember-me
 * credential the new session links, if any. The device's other live sessions linking that
 * credential (parallel re-auths with one cookie) are the first to make room under the limit.
 */
export interface Device {
  sid: string | null;
  credential: string | null;
}

type Listed = { sid: string; record: SessionRecord };

/**
 * The user's live sessions other than the one the login replaces, oldest sign-in first: by
 * `authenticatedAt`, which a sign-in sets and a privilege change or re-auth keeps. Without
 * one (a re-auth with no session to carry it from), by when the absolute limit began, which
 * a privilege change keeps too, but never later than the record's creation (the absolute
 * timeout may have been shortened since). `createdAt` alone put an old sign-in that changed
 * privilege at the back of the queue. Listed sessions past a deadline are ended, unless a
 * request touched them since (see `touchedSince`).
 */
async function liveSessions(
  rt: Runtime,
  userId: string,
  now: number,
  replacing: string | null,
  clearUp: ClearUp,
) {
  const live: Listed[] = [];
  const past: Listed[] = [];
  for (const entry of await rt.store.listByUser(userId)) {
    if (entry.sid === replacing || entry.record.ended) continue;
    (deadlinePassed(entry.record, now) ? past : live).push(entry);
  }
  live.push(...(await touchedSince(rt, past, now, clearUp)));
  // Stable: sessions signed in in the same millisecond keep the store's listing order.
  const signedInAt = ({ record }: Listed) =>
    record.authenticatedAt ??
    Math.min(record.createdAt, record.absoluteExpiresAt - rt.options.absoluteTimeout);
  return live.sort((a, b) => signedInAt(a) - signedInAt(b));
}

/**
 * The past-deadline sessions one sign-in has sent an ending for: its second look at the
 * limit does not send them again. Each is by then ended, live (and listed so), failed or
 * timed out (let go rather than wait for the store again), or past its absolute deadline
 * with its ending still under way.
 */
export interface ClearUp {
  sent: Set<string>;
}

/**
 * Ends the listed sessions past a deadline, each only while it still is (`endIfExpired`):
 * a request its device sent just before the deadline may write to it yet, and bring it
 * back over the limit after this sign-in counted it out. Returns those such a write
 * reached first: they are live, and count. All go out at once, each bounded by the store
 * timeout, and every answer that can be `live` is waited for: none is dropped. One past
 * its absolute deadline cannot be (nothing moves that deadline, and a touch is capped at
 * it), so its ending is sent and not waited for: that also spares the second look a
 * privilege change's new session that inherited a deadline already past. An ending that
 * fails is let go, for the rest of the sign-in: that session's next request ends it, and
 * the race stays open for it alone. Clearing up never fails a sign-in, and holds it about
 * one store timeout at most. A store without `endIfExpired` leaves such sessions as they
 * are (docs/stores.md).
 */
async function touchedSince(
  rt: Runtime,
  past: Listed[],
  now: number,
  clearUp: ClearUp,
): Promise<Listed[]> {
  if (!rt.store.endIfExpired) return [];
  const waited: Listed[] = [];
  const answers: Promise<unknown>[] = [];
  for (const entry of past) {
    const { sid, record } = entry;
    if (clearUp.sent.has(sid)) continue;
    clearUp.sent.add(sid);
    const answer = expireRecord(rt, sid, record, now, deadlinePassed(record, now)!).catch(
      () => 'failed',
    );
    if (now < record.absoluteExpiresAt) {
      waited.push(entry);
      answers.push(answer);
    }
  }
  const results = await Promise.all(answers);
  return waited.filter((_, i) => results[i] === 'live');
}

/**
 * Holds `userId` to `maxSessionsPerUser`, counting the login under way: before it creates
 * (`own` null: the new session is still to come) and again after (`own`: its new sid).
 * Over the limit, `refuse` ends the login's own new session, if any, and throws;
 * `evict-oldest` ends the oldest others. Once every parallel login has finished, at most
 * `limit` remain (the last to look saw all of them); a race may evict one more than a
 * sequential run would, or refuse every login of the race (each sees the others' new
 * sessions), never keep one too many (docs/server.md). The device's other sessions
 * linking the same credential go first, keeping the credential; then the rule applies.
 */
export async function keepWithinLimit(
  rt: Runtime,
  userId: string,
  now: number,
  device: Device,
  own: string | null,
  clearUp: ClearUp,
): Promise<void> {
  const limit = rt.options.maxSessionsPerUser;
  if (limit === null) return;
  const end = (sid: string, record: SessionRecord, detail: string) =>
    endRecord(rt, sid, record, now, { reason: 'revoked', detail, at: now });
  const live = await liveSessions(rt, userId, now, device.sid, clearUp);
  let over = live.length + (own === null ? 1 : 0) - limit;
  if (over <= 0) return;
  // The device's other sessions sharing the credential make room first, and keep it: they
  // are the same browser's parallel re-auths, and it holds one session cookie at a time.
  const mine = live.find(({ sid }) => sid === own);
  const siblings = live.filter(
    ({ sid, record }) =>
      sid !== own && device.credential !== null && record.credentialId === device.credential,
  );
  // A refusal is decided before the device's sessions are replaced, so it ends none of
  // them; a refused login's own session never reached the browser, and the device keeps
  // its credential.
  if (rt.options.onSessionLimit === 'refuse') {
    if (over > siblings.length) {
      if (mine) await end(mine.sid, mine.record, 'session-limit-refused');
      throw new SessionLimitError(userId, limit);
    }
    // Before the new session exists, only decide: the count made once it does (a parallel
    // sign-in may have come in between) replaces them, or refuses with nothing ended.
    if (own === null) return;
  }
  for (const { sid, record } of siblings.slice(0, over)) {
    await end(sid, record, 'session-limit-replaced');
    over--;
  }
  if (over <= 0) return;
  const others = live.filter((entry) => entry !== mine && !siblings.includes(entry));
  for (const { sid, record } of others.slice(0, over)) {
    await end(sid, record, 'session-limit');
  }
}
