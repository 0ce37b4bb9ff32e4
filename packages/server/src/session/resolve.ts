import type { EndReason } from '../contract/protocol.js';
import { readSessionCookie } from '../cookie/parse.js';
import { readReceipt as readReceiptCookie, receiptBoundTo } from '../cookie/receipt.js';
import type { RejectReason } from '../events/types.js';
import type { PreviousToken, SessionRecord } from '../store/types.js';
import { unsealSuccessor } from '../token/seal.js';
import { type SessionToken, tokenFromValue } from '../token/token.js';
import { deadlinePassed, expireRecord, isRenewal } from './end-record.js';
import { deviceUserAgent, emitFor, type Runtime, touchIfDue } from './runtime.js';
import { endCurrent, switchedAway } from './successor.js';

/** The outcome of resolving a request's session: its one store read, ordinarily. */
export type Resolution =
  | {
      state: 'live';
      sid: string;
      record: SessionRecord;
      /** The session's current token: the presented one, or the unsealed successor. */
      token: SessionToken;
      /** The request presented the predecessor: the response must set `token`. */
      successor: boolean;
      /**
       * The predecessor came past its grace window and resolved only because its rotation
       * is unconfirmed: the request must not move the idle deadline.
       */
      pastGrace: boolean;
      /** The read itself made the throttled touch: the commit need not touch again. */
      touched: boolean;
      /**
       * The session cookie named an ended session, and this is the one the renewal
       * receipt bound to it names: the request rotates it, and its answer sets the
       * successor as the session cookie.
       */
      fromReceipt?: true;
    }
  | {
      state: 'none';
      reason: EndReason;
      sid: string | null;
      /**
       * The presented session was renewed into another (a privilege change or a re-auth,
       * perhaps in another tab): a sign-out with its cookie follows it there, and a
       * request that needs the session is told to repeat itself (409 `session_renewed`).
       */
      renewed?: true;
      /**
       * A sign-in as another user on this browser ended the presented session, within the
       * rotation grace window: a request sent before it is refused with 409
       * `session_switched`, never repeated as the new user.
       */
      switched?: true;
    };

/** What resolution needs from the request. */
export interface RequestFacts {
  cookieHeader: string | null;
  cookieName: string;
  /** The renewal receipt's name, read only when the session cookie names a renewed session. */
  receiptName: string;
  /** The request's `User-Agent`; only read (else null) when `bindUserAgent` is on. */
  userAgent: string | null;
  now: number;
  /**
   * Let the read make the throttled touch when it is due (an ordinary, non-passive
   * request on a store with `getAndTouch`): one round trip instead of two.
   */
  touchWithRead: boolean;
}

/**
 * Resolves the request's session, in the ordinary case with one store read (`get`, or
 * `getAndTouch` for a touch that may be due). Rare paths read again: the predecessor's
 * sealed successor, a renewal receipt's session, and a session read past its deadline
 * that turns out touched since (see `expireRecord`). Never adopts an unknown ID, never
 * lets a malformed value reach the store, and ends a session whose deadline passed.
 * Store failures propagate (the middleware answers 503).
 */
export async function resolveSession(rt: Runtime, req: RequestFacts): Promise<Resolution> {
  const reading = readSessionCookie(req.cookieHeader, req.cookieName);
  if (reading.kind === 'absent') return none('missing');
  const presented = reading.kind === 'token' ? tokenFromValue(reading.value) : null;
  if (!presented) {
    reject(rt, req.now, reading.kind === 'malformed' ? reading.reason : 'malformed', null);
    return none('missing');
  }
  return resolveToken(rt, req, presented, req.touchWithRead, false);
}

/**
 * The session `presented` names, as the session cookie or, `viaReceipt`, as the renewal
 * receipt: the same checks either way (theft, deadlines, `User-Agent`), so a token is
 * worth no more under the receipt's name than under the cookie's. `reread`: the second
 * read of a session the first found past its deadline but the store found touched.
 */
async function resolveToken(
  rt: Runtime,
  req: RequestFacts,
  presented: SessionToken,
  touchAsked: boolean,
  viaReceipt: boolean,
  reread = false,
): Promise<Resolution> {
  // Helpers are module functions, not closures: nothing extra to allocate per request.
  const { now } = req;
  const sid = rt.hasher.sid(presented);
  const hash = rt.hasher.tokenHash(presented);
  const touchWithRead = touchAsked && rt.store.getAndTouch !== undefined;
  const record = touchWithRead
    ? await rt.store.getAndTouch!(sid, touchIfDue(rt, hash, now))
    : await rt.store.get(sid);
  if (!record) {
    reject(rt, now, 'unknown', sid);
    return none('missing', sid);
  }
  if (record.ended) {
    // Any ending: a sign-in sent beside a sign-out binds its receipt to the signed-out
    // session too, and a sign-out whose answer came last has cleared the receipt.
    const recovered = viaReceipt ? null : await readReceipt(rt, req, sid);
    if (recovered) return recovered;
    const renewal = isRenewal(record.ended);
    const { reason, successor, at } = record.ended;
    // A privilege change or re-auth names its successor; a sign-in never does (it proves
    // itself, and its old cookie must read as plainly ended). Only within the rotation
    // grace window, as a rotated token's predecessor: a request that left before the new
    // cookie arrived. Later the old cookie is plainly dead, whatever its holder sends
    // (a logout from it ends nothing, and it learns nothing of the new session).
    // A sign-in as another user replaced it, or the session it was renewed into: the
    // request is the previous user's (409 `session_switched`, never repeated as the new one).
    const inGrace = now < at + rt.options.rotationGrace;
    if (inGrace && (await switchedAway(rt, sid, record))) {
      return { state: 'none', reason, sid, switched: true };
    }
    return renewal && successor !== undefined && inGrace
      ? { state: 'none', reason, sid, renewed: true }
      : none(reason, sid);
  }

  // The current token is the usual case: no promise for it (the predecessor path unseals).
  const token = rt.hasher.equal(hash, record.tokenHash)
    ? presented
    : await matchPredecessor(rt, record, presented, hash, sid, now);
  if (!token) {
    // The predecessor in its window whose successor the store no longer answers (forgotten
    // at the window's edge, or unreadable): no session, but no replay either.
    if (isLivePredecessor(rt, record, hash, now)) {
      reject(rt, now, 'unknown', sid, record.userId);
      return none('missing', sid);
    }
    // An older token under the receipt's name is no theft signal: the receipt keeps the
    // renewal's first token while the session it brought back rotates on, and a late
    // answer of the crossing can make the browser send it again. It gets no session.
    if (viaReceipt) return none('missing', sid);
    const revoke = rt.options.onTheft === 'revoke';
    return (await refuse(rt, now, sid, record, 'theft-suspected', revoke)) ?? none('missing', sid);
  }

  const timeout = deadlinePassed(record, now);
  if (timeout) {
    // A request read just before the deadline may have touched the session since this one
    // read it: then it lives on, and this request reads it again (once) as it now stands.
    if ((await expireRecord(rt, sid, record, now, timeout)) === 'live' && !reread) {
      return resolveToken(rt, req, presented, false, viaReceipt, true);
    }
    return none(timeout, sid);
  }

  // A record stored before user agents were cut to length compares by its first part.
  if (
    rt.options.bindUserAgent &&
    (record.userAgent === null ? null : deviceUserAgent(record.userAgent)) !== req.userAgent
  ) {
    const revoke = rt.options.bindUserAgent === 'revoke';
    const ended = await refuse(rt, now, sid, record, 'user-agent-changed', revoke);
    if (ended) return ended;
  }
  const successor = token !== presented;
  const live: Resolution = {
    state: 'live',
    sid,
    record,
    token,
    successor,
    pastGrace: successor && now >= record.previous!.until,
    touched: touchWithRead && record.lastActiveAt === now,
  };
  if (viaReceipt) live.fromReceipt = true;
  return live;
}

/**
 * What the renewal receipt says, read when the session cookie names an ended session: a
 * rotation's answer that crossed a renewal's on the wire set it after the renewal's token,
 * which the receipt holds. Only a receipt bound to that very session counts. `null` (the
 * session cookie's answer stands) when there is none, or it is bound to another session,
 * or names one the store does not know or a token it no longer takes.
 */
async function readReceipt(
  rt: Runtime,
  req: RequestFacts,
  endedSid: string,
): Promise<Resolution | null> {
  const receipt = readReceiptCookie(req.cookieHeader, req.receiptName);
  if (!receipt || !receiptBoundTo(receipt.bounds, endedSid)) return null;
  const resolution = await resolveToken(rt, req, receipt.token, false, true);
  return resolution.state === 'none' && resolution.reason === 'missing' ? null : resolution;
}

/**
 * Whether a predecessor still resolves: inside its grace window, or while its rotation is
 * unconfirmed (the successor may never have reached the browser: the request that rotated
 * timed out while the store still applied the rotation).
 */
export function predecessorResolves(previous: PreviousToken, now: number): boolean {
  return now < previous.until || previous.confirmed === false;
}

function none(reason: EndReason, sid: string | null = null): Resolution {
  return { state: 'none', reason, sid };
}

function reject(
  rt: Runtime,
  now: number,
  reason: RejectReason,
  sid: string | null,
  userId: string | null = null,
): void {
  emitFor(rt, now, sid, userId, { type: 'rejected', reason });
}

/** A suspicious request is rejected; with the `revoke` policy the session ends too. */
async function refuse(
  rt: Runtime,
  now: number,
  sid: string,
  record: SessionRecord,
  why: 'theft-suspected' | 'user-agent-changed',
  revoke: boolean,
): Promise<Resolution | null> {
  reject(rt, now, why, sid, record.userId);
  if (!revoke) return null;
  // The session as far as its renewals lead: one the owner renewed (a privilege change, a
  // re-auth) since this request read it is revoked too, as a revocation by the manager is.
  await endCurrent(rt, sid, { reason: 'revoked', detail: why, at: now }, record);
  return none('revoked', sid);
}

/**
 * The current token if `presented` (whose hash is `hash`) is the record's predecessor and
 * still resolves, else `null`. Also how a request that lost a rotation's compare-and-set
 * finds the winner's successor.
 */
export async function matchPredecessor(
  rt: Runtime,
  record: SessionRecord,
  presented: SessionToken,
  hash: string,
  sid: string,
  now: number,
): Promise<SessionToken | null> {
  if (!isLivePredecessor(rt, record, hash, now)) return null;
  const previous = record.previous!;
  // A store that keeps the sealed successor apart answers it in a second read, needed
  // only here (see SessionStore.getSealedSuccessor).
  const sealed = previous.sealedSuccessor ?? (await rt.store.getSealedSuccessor?.(sid)) ?? null;
  if (sealed === null) return null;
  const successor = await unsealSuccessor(presented, sealed, sid);
  // A successor that does not open, or does not match, means corrupt store contents.
  if (!successor || !rt.hasher.equal(rt.hasher.tokenHash(successor), record.tokenHash)) {
    return null;
  }
  return successor;
}

/** Whether `hash` is the record's predecessor and it still resolves at `now`. */
function isLivePredecessor(rt: Runtime, record: SessionRecord, hash: string, now: number): boolean {
  const previous = record.previous;
  return (
    previous !== null &&
    predecessorResolves(previous, now) &&
    rt.hasher.equal(hash, previous.tokenHash)
  );
}
