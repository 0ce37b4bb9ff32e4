import { keepsCredential } from '../store/ended.js';
import type { EndedMarker, SessionRecord } from '../store/types.js';
import { checkUserId } from '../store/user-id.js';
import { endRecord, isRenewal, revokesCredential } from './end-record.js';
import type { Runtime } from './runtime.js';
import { endCurrent, trailOf } from './successor.js';
import type { SessionManager, SessionSummary } from './types.js';

/**
 * An ending after which the session's device may have gone on with another session: a
 * re-auth or a login moved it on (one as another user too), or it timed out and its remember-me credential brought
 * it back (the request that re-authenticated is the one that closed it).
 */
function deviceWentOn(ended: EndedMarker | null | undefined): boolean {
  return (
    isRenewal(ended) ||
    ended?.detail === 'switched-user' ||
    ended?.detail === 'session-limit-replaced' ||
    ended?.reason === 'idle-timeout' ||
    ended?.reason === 'absolute-timeout'
  );
}

function isLive(record: SessionRecord, now: number): boolean {
  return !record.ended && now < record.idleExpiresAt && now < record.absoluteExpiresAt;
}

function summarize(sid: string, record: SessionRecord, currentId: string | null): SessionSummary {
  return {
    id: sid,
    createdAt: record.createdAt,
    lastActiveAt: record.lastActiveAt,
    idleExpiresAt: record.idleExpiresAt,
    absoluteExpiresAt: record.absoluteExpiresAt,
    userAgent: record.userAgent,
    location: record.location ?? null,
    current: sid === currentId,
  };
}

/**
 * Session operations outside a request, on the same store and audit hook as the
 * middleware: "your devices" lists, admin revocation, "sign out everywhere else".
 * Ids are store keys (`c.var.session.id`), never cookie tokens.
 *
 * @example
 * const sessions = session();
 * await sessions.manager.revokeUser('u1', { exceptId: c.var.session.id });
 */
export function createManager(rt: Runtime): SessionManager {
  const live = async (userId: string) => {
    const now = rt.options.now();
    const all = await rt.store.listByUser(userId);
    return { now, sessions: all.filter(({ record }) => isLive(record, now)) };
  };
  /**
   * A user's sessions not yet ended, whatever their deadlines: one past its idle deadline
   * that no request has closed yet could still be revived by a request in flight.
   */
  const notEnded = async (userId: string) =>
    (await rt.store.listByUser(userId)).filter(({ record }) => !record.ended);
  /**
   * "Sign out that device": the device is the remember-me credential its sessions share
   * (parallel re-auths, a session it moved on to). Ends the user's sessions linking it and
   * deletes it, or a device that re-authenticates faster than a revoke list refreshes
   * could never be signed out.
   */
  const revokeDevice = async (
    record: SessionRecord,
    detail: string,
    now: number,
    except: ReadonlySet<string>,
  ) => {
    const { credentialId, userId } = record;
    let ended = 0;
    if (typeof credentialId !== 'string' || credentialId === '') return ended;
    for (const { sid, record: other } of userId === null ? [] : await notEnded(userId)) {
      if (other.credentialId !== credentialId || except.has(sid)) continue;
      if (await endRecord(rt, sid, other, now, { reason: 'revoked', detail, at: now })) ended++;
    }
    await rt.store.deleteCredential(credentialId);
    return ended;
  };
  return {
    async listForUser(userId, currentId = null) {
      checkUserId('manager.listForUser', userId);
      const { sessions } = await live(userId);
      return sessions
        .map(({ sid, record }) => summarize(sid, record, currentId))
        .sort((a, b) => b.lastActiveAt - a.lastActiveAt);
    },
    async revoke(id, detail = 'admin', options = {}) {
      // These details mean "the credential is handed on or dealt with elsewhere" (they
      // keep it): an app's audit detail must not pick that by accident.
      if (keepsCredential(detail)) {
        throw new TypeError(`manager.revoke: \`detail\` "${detail}" is reserved`);
      }
      const now = rt.options.now();
      const record = await rt.store.get(id);
      if (!record) return 0;
      // The caller's own session, as far as it was renewed: never signed out from here.
      const except = await trailOf(rt, options.exceptId);
      // Already revoked: end the device and delete its credential again, so a call that
      // failed half way (503) can be repeated; but only where that ending deletes it (not
      // one kept by `revokeUser({ keepCredentials })`, a regenerate or a refused login).
      if (record.ended && revokesCredential(record.ended)) {
        return revokeDevice(record, detail, now, except);
      }
      const ending: EndedMarker = { reason: 'revoked', detail, at: now };
      const result = await endCurrent(rt, id, ending, record, except);
      // The device's other sessions go with it: those sharing its remember-me credential
      // (parallel re-auths, or one made from the cookie after this one idled out unseen).
      if (result.ended) return 1 + (await revokeDevice(result.reached.record, detail, now, except));
      // The trail ends without a live session (a sign-in names no successor; the session
      // limit; a timeout, after which the device re-authenticated): if the session moved on
      // at all, the device is the remember-me credential it carried along the way.
      const first = (await rt.store.get(id)) ?? record;
      const last = result.reached?.record ?? first;
      if (!deviceWentOn(first.ended) && !deviceWentOn(last.ended)) return 0;
      const ended = await revokeDevice(last, detail, now, except);
      if (first.credentialId === last.credentialId) return ended;
      return ended + (await revokeDevice(first, detail, now, except));
    },
    async revokeUser(userId, options = {}) {
      checkUserId('manager.revokeUser', userId);
      const now = rt.options.now();
      const forget = () => !options.keepCredentials && rt.store.deleteCredentialsOfUser(userId);
      // Credentials first: a re-auth that creates its session after the listing below
      // finds its credential gone once it has created, and ends that session itself.
      await forget();
      const listed = await notEnded(userId);
      const ending: EndedMarker = { reason: 'revoked', detail: 'revoke-user', at: now };
      // The caller's own session, also as another tab of its device may have renewed it.
      const except = await trailOf(rt, options.exceptId);
      let ended = 0;
      for (const { sid, record } of listed) {
        if (except.has(sid)) continue;
        // A listed session renewed meanwhile is followed to the one that replaced it.
        if ((await endCurrent(rt, sid, ending, record, except)).ended) ended++;
      }
      // Again: a request in flight may have issued one while the sessions were ending.
      await forget();
      return ended;
    },
    get(id) {
      return rt.store.get(id);
    },
  };
}
