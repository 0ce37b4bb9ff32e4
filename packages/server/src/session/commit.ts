import type { SessionPatch } from '../store/types.js';
import { sealSuccessor, unsealSuccessor } from '../token/seal.js';
import { generateToken, rotateToken, type SessionToken } from '../token/token.js';
import { type ClientFacts, emitFor, type Runtime, retainUntil } from './runtime.js';
import { createRecord, freshMeta, type LiveSession, type RequestState } from './state.js';

/**
 * After the handler: applies the request's changes with the fewest writes (lazy create,
 * one per-key delta, rotation CAS) and decides the one cookie to send. Leaves
 * `state.live` null when the session turned out to have ended meanwhile, so nothing stale
 * is sent. Store failures propagate (503).
 */
export async function commitState(rt: Runtime, state: RequestState, client: () => ClientFacts) {
  if (state.cleared) return;
  if (!state.live) {
    if (state.set.size > 0) await createLazily(rt, state, client());
    return;
  }
  if (!(await writeDelta(rt, state, state.live))) {
    state.live = null;
    state.issue = null;
    return;
  }
  if (
    !state.fresh &&
    !state.issue &&
    state.now - state.live.meta.rotatedAt >= rt.options.rotationInterval
  ) {
    await rotate(rt, state, state.live);
  }
}

async function createLazily(rt: Runtime, state: RequestState, client: ClientFacts) {
  const data = Object.fromEntries(state.set);
  const created = await createRecord(
    rt,
    (tokenHash) => ({
      ...freshMeta(rt, state.now, {
        tokenHash,
        userId: null,
        user: null,
        authenticatedAt: null,
        ...client,
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

/** One conditional per-key write, or none: only changed data or a due touch costs a write. */
async function writeDelta(rt: Runtime, state: RequestState, live: LiveSession): Promise<boolean> {
  const { now } = state;
  const patch: SessionPatch = {};
  if (state.set.size > 0) patch.set = Object.fromEntries(state.set);
  if (state.unset.size > 0) patch.unset = [...state.unset];
  const dataChanged = patch.set !== undefined || patch.unset !== undefined;
  const touchDue =
    !state.fresh &&
    (state.extend ||
      (!state.passive &&
        (dataChanged ||
          (!state.touched && now - live.meta.lastActiveAt >= rt.options.touchInterval))));
  if (touchDue) {
    const idleExpiresAt = Math.min(now + rt.options.idleTimeout, live.meta.absoluteExpiresAt);
    patch.meta = { lastActiveAt: now, idleExpiresAt };
    live.meta.lastActiveAt = now;
    live.meta.idleExpiresAt = idleExpiresAt;
  }
  if (!dataChanged && !touchDue) return true;
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
 * Periodic rotation as a compare-and-set. Of N parallel requests exactly one wins; the
 * others re-read and open the sealed successor, so every cookie they send is the same.
 */
async function rotate(rt: Runtime, state: RequestState, live: LiveSession): Promise<void> {
  const { now } = state;
  const successor = rotateToken(live.token);
  const result = await rt.store.rotate(
    live.sid,
    {
      expectedTokenHash: live.meta.tokenHash,
      tokenHash: rt.hasher.tokenHash(successor),
      previous: {
        tokenHash: live.meta.tokenHash,
        until: now + rt.options.rotationGrace,
        sealedSuccessor: await sealSuccessor(live.token, successor, live.sid),
      },
      rotatedAt: now,
    },
    retainUntil(rt, live.meta, now),
  );
  if (result === 'ok') {
    state.issue = successor;
    emitFor(rt, now, live.sid, live.meta.userId, { type: 'rotated' });
    return;
  }
  if (result === 'missing') {
    state.live = null;
    return;
  }
  state.issue = await successorAfterConflict(rt, live, now);
}

/** The winner's successor, or `null` (no cookie) if the record moved on further or ended. */
async function successorAfterConflict(
  rt: Runtime,
  live: LiveSession,
  now: number,
): Promise<SessionToken | null> {
  const record = await rt.store.get(live.sid);
  const previous = record?.previous;
  if (!record || record.ended || !previous || now >= previous.until) return null;
  if (!rt.hasher.equal(previous.tokenHash, live.meta.tokenHash)) return null;
  const successor = await unsealSuccessor(live.token, previous.sealedSuccessor, live.sid);
  if (!successor || !rt.hasher.equal(rt.hasher.tokenHash(successor), record.tokenHash)) {
    return null;
  }
  return successor;
}
