import type { PreviousToken, RotateResult } from '../store/types.js';
import { sealSuccessor } from '../token/seal.js';
import { rotateToken, type SessionToken } from '../token/token.js';
import { StoreUnavailableError } from './guard-store.js';
import { matchPredecessor } from './resolve.js';
import { emitFor, type Runtime, retainUntil } from './runtime.js';
import type { LiveSession, RequestState } from './state.js';

/**
 * Periodic rotation as a compare-and-set. Of N parallel requests exactly one wins; the
 * others re-read and open the sealed successor, so every cookie they send is the same.
 */
export async function rotate(rt: Runtime, state: RequestState, live: LiveSession): Promise<void> {
  const { now } = state;
  const successor = rotateToken(live.token);
  const tokenHash = rt.hasher.tokenHash(successor);
  const previous: PreviousToken = {
    tokenHash: live.meta.tokenHash,
    // From now, not from the request's start: after a handler slower than the grace
    // window, requests in flight with the predecessor would otherwise find it closed.
    until: rt.options.now() + rt.options.rotationGrace,
    sealedSuccessor: await sealSuccessor(live.token, successor, live.sid),
  };
  // Unconfirmed until this request knows it landed: if it times out, the store may still
  // apply it, and the browser, which never saw the successor, must not be locked out.
  if (rt.store.confirmRotation) previous.confirmed = false;
  const result = await rt.store.rotate(
    live.sid,
    { expectedTokenHash: live.meta.tokenHash, tokenHash, previous, rotatedAt: now },
    retainUntil(rt, live.meta, now),
  );
  if (result === 'ok') {
    state.issue = successor;
    emitFor(rt, now, live.sid, live.meta.userId, { type: 'rotated' });
    if (previous.confirmed === false) {
      await confirmRotation(rt, state, live.sid, tokenHash, previous);
    }
    return;
  }
  if (result === 'missing') {
    state.live = null;
    return;
  }
  state.issue = await successorAfterConflict(rt, live, now);
}

/**
 * Records that the successor reached the browser, or is about to (this response sets it):
 * the predecessor goes back to the ordinary rule. Never before `until`, and when late, a
 * fresh grace window from now for requests the browser still has in flight. Best effort:
 * if it fails, the rotation stays unconfirmed and the next request with the successor
 * tries again, so a store failure here is not an outage.
 */
export async function confirmRotation(
  rt: Runtime,
  state: RequestState,
  sid: string,
  tokenHash: string,
  previous: PreviousToken,
): Promise<void> {
  if (!rt.store.confirmRotation) return;
  const until = Math.max(previous.until, rt.options.now() + rt.options.rotationGrace);
  let result: RotateResult;
  try {
    result = await rt.store.confirmRotation(sid, {
      tokenHash,
      previous: { ...previous, until, confirmed: true },
      // Now, not the request's start: after a slow handler, the sealed successor would
      // otherwise outlive its window by the handler's time.
      at: rt.options.now(),
    });
  } catch (error) {
    if (error instanceof StoreUnavailableError) return;
    throw error;
  }
  if (result === 'missing') {
    state.live = null;
    state.issue = null;
  }
}

/** The winner's successor, or `null` (no cookie) if the record moved on further or ended. */
async function successorAfterConflict(
  rt: Runtime,
  live: LiveSession,
  now: number,
): Promise<SessionToken | null> {
  const record = await rt.store.get(live.sid);
  if (!record || record.ended) return null;
  return matchPredecessor(rt, record, live.token, live.meta.tokenHash, live.sid, now);
}
