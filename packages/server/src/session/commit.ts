import type { Context } from 'hono';
import { renewedResponse, switchedResponse } from '../problem/problem.js';
import type { SessionPatch } from '../store/types.js';
import { generateToken } from '../token/token.js';
import { isRenewal } from './end-record.js';
import { fromOwnSite } from './passive.js';
import { SessionEndedError } from './regenerate.js';
import { confirmRotation, rotate } from './rotate.js';
import {
  type ClientFacts,
  clientFacts,
  emitFor,
  type Runtime,
  retainUntil,
  touchIfDue,
} from './runtime.js';
import {
  createRecord,
  freshMeta,
  type LiveSession,
  linkedCredential,
  type RequestState,
} from './state.js';
import { currentSession, switchedAway } from './successor.js';

/** The answer to a write whose session this browser renewed in another request (409). */
const RENEWED = { getResponse: renewedResponse };
/** The answer to a write whose session a sign-in as another user ended (409). */
const SWITCHED = { getResponse: switchedResponse };

/** What follows the delta: a rotation, or the confirmation of one nobody confirmed yet. */
type Then = 'rotate' | 'confirm' | null;

/**
 * After the handler: applies the request's changes with the fewest writes (lazy create,
 * one per-key delta, rotation CAS) and decides the one cookie to send. Leaves
 * `state.live` null when the session turned out to have ended meanwhile, so nothing stale
 * is sent. Store failures propagate (503).
 *
 * Returns `undefined` when there is nothing to write, the usual case: a plain read then
 * costs no promise here (the caller awaits only a returned one).
 */
export function commitState(
  rt: Runtime,
  state: RequestState,
  c: Context,
): Promise<void> | undefined {
  if (state.cleared) return undefined;
  // A credential issued after SessionEndedError was caught would sign the user back in.
  if (state.abandoned) return state.credential ? withdraw(rt, c, state.credential) : undefined;
  const { live } = state;
  if (!live) {
    if (!state.set?.size) return undefined;
    // The cookie of a session this browser has just renewed: a new session made here would
    // replace the renewed one's cookie (signing the person out). Nothing is written; the
    // client repeats the request with the new cookie. The same for one that a sign-in as
    // another user replaced, but the client does not repeat that.
    if (state.renewed !== null || state.switched) {
      state.lost = state.switched ? SWITCHED : RENEWED;
      return undefined;
    }
    return createLazily(rt, state, clientFacts(rt, c));
  }
  const linkedBefore = live.meta.credentialId ?? null;
  const patch = deltaFor(rt, state, live);
  // A session the receipt brought back rotates at once: re-sending its current token, a
  // late answer could undo a rotation a parallel request made meanwhile. A periodic one
  // waits for a request the person's own page made: another site could start one that is
  // due and abort it before its answer, leaving the browser with a predecessor whose window
  // then closes (signed out, or revoked as stolen). Passive requests (a CSRF refusal, a 405,
  // a status poll, a hidden tab's) leave it due too: they change nothing.
  const rotationDue =
    !state.fresh &&
    !state.issue &&
    (state.reissue ||
      (state.now - live.meta.rotatedAt >= rt.options.rotationInterval &&
        !state.passive &&
        fromOwnSite(c, rt.options)));
  // The current token presented while its rotation is unconfirmed: the successor arrived.
  const confirmDue = !state.fromGrace && live.meta.previous?.confirmed === false;
  const then: Then = rotationDue ? 'rotate' : confirmDue ? 'confirm' : null;
  if (patch === null && then === null) {
    return state.fromGrace ? confirmSuccessor(rt, state, live) : undefined;
  }
  return writeThen(rt, state, c, live, patch, then, linkedBefore);
}

async function writeThen(
  rt: Runtime,
  state: RequestState,
  c: Context,
  live: LiveSession,
  patch: SessionPatch | null,
  then: Then,
  linkedBefore: string | null,
): Promise<void> {
  if (patch !== null && !(await writeDelta(rt, state, live, patch))) {
    state.live = null;
    state.issue = null;
    const issued = state.credential;
    if (issued && issued !== linkedBefore) await relinkOrForget(rt, state, c, live.sid, issued);
    // Data the handler changed, or the extension it asked for, was not written: its answer
    // must not say it was. A due touch alone leaves the answer as it is: it read a session
    // that was live when read.
    if (state.set || state.unset || state.extend) {
      const record = await rt.store.get(live.sid);
      const ended = record?.ended;
      // Renewed by a parallel request of the same browser (its cookie stays): 409
      // `session_renewed`, which the client repeats with the new cookie, as nothing was
      // written. Replaced by a sign-in as another user: 409 `session_switched`, which it
      // does not (a 401 would be re-authenticated and repeated, as the new user). Anything
      // else ended it: 401 with its reason.
      state.lost =
        record && (await switchedAway(rt, live.sid, record))
          ? SWITCHED
          : isRenewal(ended)
            ? RENEWED
            : new SessionEndedError(ended?.reason ?? 'missing');
    }
    return;
  }
  if (state.fromGrace) return confirmSuccessor(rt, state, live);
  if (then === 'rotate') await rotate(rt, state, live);
  else if (then === 'confirm') {
    await confirmRotation(rt, state, live.sid, live.meta.tokenHash, live.meta.previous!);
  }
}

/**
 * A request that presented the predecessor sends the successor only while it is still the
 * session's token: meanwhile another request may have signed in again, logged out or
 * rotated once more, and a late stale cookie would replace the browser's newer one. Costs
 * one read, only for requests inside a rotation's grace window. A session that ended
 * meanwhile gets neither cookie nor deadline header.
 */
async function confirmSuccessor(rt: Runtime, state: RequestState, live: LiveSession) {
  const record = await rt.store.get(live.sid);
  if (record && !record.ended && rt.hasher.equal(record.tokenHash, rt.hasher.tokenHash(live.token)))
    return;
  state.issue = null;
  if (!record || record.ended) state.live = null;
}

async function createLazily(rt: Runtime, state: RequestState, client: ClientFacts) {
  const data = Object.fromEntries(state.set ?? []);
  const created = await createRecord(
    rt,
    (tokenHash) => ({
      ...freshMeta(rt, state.now, {
        tokenHash,
        userId: null,
        user: null,
        authenticatedAt: null,
        ...client,
        credentialId: state.credential ?? null,
      }),
      data,
    }),
    generateToken,
  );
  const { data: stored, ...meta } = created.record;
  state.live = { sid: created.sid, token: created.token, meta, data: stored };
  state.issue = created.token;
  emitFor(rt, state.now, created.sid, null, { type: 'created', previousSid: null });
}

/**
 * The one per-key delta this request needs, or `null` when nothing changed and no touch
 * is due: only changed data, a newly linked credential or a due touch costs a write. A due
 * touch is applied to `live.meta` here, so the response's deadlines are the ones written.
 */
function deltaFor(rt: Runtime, state: RequestState, live: LiveSession): SessionPatch | null {
  const { now } = state;
  // Also for a session regenerated in this request: `issue()` usually comes after the login.
  const linking =
    state.credential !== undefined && state.credential !== (live.meta.credentialId ?? null);
  const dataChanged = !!state.set?.size || !!state.unset?.size || linking;
  const touchDue =
    !state.fresh &&
    !state.pastGrace &&
    (state.extend ||
      (!state.passive &&
        (dataChanged ||
          (!state.touched && now - live.meta.lastActiveAt >= rt.options.touchInterval))));
  if (!dataChanged && !touchDue) return null;
  const patch: SessionPatch = {};
  if (state.set?.size) patch.set = Object.fromEntries(state.set);
  if (state.unset?.size) patch.unset = [...state.unset];
  if (touchDue) {
    const idleExpiresAt = Math.min(now + rt.options.idleTimeout, live.meta.absoluteExpiresAt);
    patch.meta = { lastActiveAt: now, idleExpiresAt };
    live.meta.lastActiveAt = now;
    live.meta.idleExpiresAt = idleExpiresAt;
  }
  if (linking) {
    const credentialId = linkedCredential(state, live.meta);
    patch.meta = { ...patch.meta, credentialId };
    live.meta.credentialId = credentialId;
  }
  return patch;
}

/** Writes the delta, conditional on the record still existing; false if it is gone. */
async function writeDelta(
  rt: Runtime,
  state: RequestState,
  live: LiveSession,
  patch: SessionPatch,
): Promise<boolean> {
  const { now } = state;
  if (!state.extend && !patch.set && !patch.unset && !('credentialId' in patch.meta!)) {
    const touched = await touchIfStillDue(rt, now, live);
    if (touched !== undefined) return touched;
  }
  const result = await rt.store.update(live.sid, patch, retainUntil(rt, live.meta, now));
  if (result === 'missing') return false;
  if (state.extend) {
    emitFor(rt, now, live.sid, live.meta.userId, {
      type: 'extended',
      idleExpiresAt: live.meta.idleExpiresAt,
    });
  }
  return true;
}

/**
 * A due touch alone, after the handler (a POST's: a CSRF refusal must not move the idle
 * deadline, so it is not made with the read), through the store's conditional touch:
 * requests a page sends in parallel each find it due, and an unconditional write made one
 * store write each instead of one in all. The deadlines told are then the stored ones,
 * another request's touch included. `undefined` for a store without `getAndTouch`.
 */
async function touchIfStillDue(
  rt: Runtime,
  now: number,
  live: LiveSession,
): Promise<boolean | undefined> {
  const touch = (tokenHash: string) =>
    rt.store.getAndTouch?.(live.sid, touchIfDue(rt, tokenHash, now));
  let record = await touch(live.meta.tokenHash);
  if (record === undefined) return undefined;
  if (!record || record.ended) return false;
  // Rotated from this request's token while its handler ran (by another instance, or a
  // request that touched before it rotated): the token was current when read, so the touch
  // is made on its successor.
  if (
    record.tokenHash !== live.meta.tokenHash &&
    record.previous?.tokenHash === live.meta.tokenHash
  ) {
    record = await touch(record.tokenHash);
    if (!record || record.ended) return false;
  }
  live.meta.lastActiveAt = record.lastActiveAt;
  live.meta.idleExpiresAt = record.idleExpiresAt;
  return true;
}

/**
 * A credential issued in a request whose session is gone by its commit: renewed by
 * another tab, it goes to the session that replaced it (so revoking that one deletes it);
 * ended, it is deleted with its cookie, as it would sign the user straight back in. Even
 * after a timeout: linked to no session, nothing would find it again, and a sign-out or a
 * revocation after that timeout would leave it working.
 */
async function relinkOrForget(
  rt: Runtime,
  state: RequestState,
  c: Context,
  sid: string,
  issued: string,
) {
  const now = state.now;
  const reached = await currentSession(rt, sid, null);
  if (reached && !reached.record.ended) {
    const patch = { meta: { credentialId: issued } };
    const until = retainUntil(rt, reached.record, now);
    if ((await rt.store.update(reached.sid, patch, until)) === 'ok') return;
  }
  await withdraw(rt, c, issued);
}

/** Deletes a credential issued in this request for a session that ended, and its cookie. */
async function withdraw(rt: Runtime, c: Context, issued: string): Promise<void> {
  await rt.store.deleteCredential(issued);
  await rt.options.reauth?.withdraw?.(c, issued);
}
