import type { EndedMarker, SessionRecord } from '../store/types.js';
import {
  endRecord,
  forgetLinkedCredential,
  keepsCredential,
  revokesCredential,
} from './end-record.js';
import type { Runtime } from './runtime.js';
import type { SessionManager, SessionSummary } from './types.js';

/** An ending by which the session's device went on with another session: a re-auth, a login. */
function movedOn(ended: EndedMarker | null | undefined): boolean {
  return ended?.detail === 'regenerated' || ended?.detail === 'session-limit-replaced';
}

/** `revokeUser` lists again while sessions move on under it; a bound keeps it finite. */
const MAX_REVOKE_PASSES = 5;

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
   * "Sign out that device", for a session its device has already moved on from (a
   * re-auth or login made it a new one): the device is the remember-me credential they
   * share. Ends the user's live sessions linking it and deletes it, or a device that
   * re-authenticates faster than a revoke list refreshes could never be signed out.
   */
  const revokeDevice = async (record: SessionRecord, detail: string, now: number) => {
    const { credentialId, userId } = record;
    if (typeof credentialId !== 'string' || credentialId === '' || userId === null) return;
    const { sessions } = await live(userId);
    for (const { sid, record: other } of sessions) {
      if (other.credentialId !== credentialId) continue;
      await endRecord(rt, sid, other, now, { reason: 'revoked', detail, at: now });
    }
    await rt.store.deleteCredential(credentialId);
  };
  return {
    async listForUser(userId, currentId = null) {
      const { sessions } = await live(userId);
      return sessions
        .map(({ sid, record }) => summarize(sid, record, currentId))
        .sort((a, b) => b.lastActiveAt - a.lastActiveAt);
    },
    async revoke(id, detail = 'admin') {
      // These details mean "the credential is handed on or dealt with elsewhere" (they
      // keep it): an app's audit detail must not pick that by accident.
      if (keepsCredential(detail)) {
        throw new TypeError(`manager.revoke: \`detail\` "${detail}" is reserved`);
      }
      const now = rt.options.now();
      const record = await rt.store.get(id);
      if (!record) return;
      // Already revoked: delete its credential again, so a call whose delete failed (503)
      // can be repeated; but only where that ending deletes it (not one kept by
      // `revokeUser({ keepCredentials })`, a regenerate or a refused login).
      if (record.ended) {
        if (revokesCredential(record.ended)) await forgetLinkedCredential(rt, record);
        else if (movedOn(record.ended)) await revokeDevice(record, detail, now);
        return;
      }
      if (await endRecord(rt, id, record, now, { reason: 'revoked', detail, at: now })) return;
      // Ended between the read and the end: moved on meanwhile, it is followed all the same.
      const ended = (await rt.store.get(id))?.ended;
      if (ended && movedOn(ended)) await revokeDevice(record, detail, now);
    },
    async revokeUser(userId, options = {}) {
      const now = rt.options.now();
      const forget = () => !options.keepCredentials && rt.store.deleteCredentialsOfUser(userId);
      // Credentials first: a re-auth that creates its session after the listing below
      // finds its credential gone once it has created, and ends that session itself.
      await forget();
      let ended = 0;
      // A listed session a request renewed meanwhile (a privilege change, a re-login) has a
      // successor the listing missed: list again until a pass finds none, within reason.
      for (let pass = 0, again = true; again && pass < MAX_REVOKE_PASSES; pass++) {
        again = false;
        // Every record not yet ended, whatever its deadlines: a session past its idle
        // deadline that no request has closed yet could be revived by a request in flight.
        const listed = (await rt.store.listByUser(userId)).filter(({ record }) => !record.ended);
        for (const { sid, record } of listed) {
          if (sid === options.exceptId) continue;
          const ending = { reason: 'revoked', detail: 'revoke-user', at: now } as const;
          // The user's credentials go all at once (or stay, with `keepCredentials`).
          if (await endRecord(rt, sid, record, now, ending)) ended++;
          else if (movedOn((await rt.store.get(sid))?.ended)) again = true;
        }
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
