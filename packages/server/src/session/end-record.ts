import { keepsCredential } from '../store/ended.js';
import type { EndedMarker, ExpireResult, SessionRecord } from '../store/types.js';
import { emitFor, type Runtime, retainUntil } from './runtime.js';

/** The audit event of an ending `session.destroy()` asked for. */
export type DestroyedEvent = { type: 'destroyed'; reason: 'logged-out' | 'revoked' };

/** True when a regenerate ended the session: it moved on under a new token. */
export const isRenewal = (ended: EndedMarker | null | undefined): boolean =>
  ended?.reason === 'revoked' && ended.detail === 'regenerated';

/**
 * Endings by a sign-in as another user on the session's browser (`switched-user`; the
 * sign-in forgets that user's credentials itself, after its theft check), and
 * `sign-in-as-another-user`, the detail earlier versions gave one a crossing renewal left
 * the browser in. Requests still on their way with such a cookie are refused with 409
 * `session_switched`, never repeated as the new user.
 */
const SWITCHES: ReadonlySet<string | undefined> = new Set([
  'switched-user',
  'sign-in-as-another-user',
]);

/** True when a sign-in as another user on the session's browser ended it. */
export const isSwitch = (ended: EndedMarker | null | undefined): boolean =>
  ended?.reason === 'revoked' && SWITCHES.has(ended.detail);

/** True when ending a session this way deletes the credential it links. */
export const revokesCredential = (ended: EndedMarker): boolean =>
  ended.reason === 'revoked' && !keepsCredential(ended.detail);

/** The limit the session met first, once either has passed at `now`. */
export function deadlinePassed(
  record: Pick<SessionRecord, 'idleExpiresAt' | 'absoluteExpiresAt'>,
  now: number,
): 'idle-timeout' | 'absolute-timeout' | null {
  const { idleExpiresAt, absoluteExpiresAt } = record;
  if (now < Math.min(idleExpiresAt, absoluteExpiresAt)) return null;
  // A session idle for longer than what was left of it (a laptop closed overnight) ended
  // for idleness, though the absolute deadline has passed too by the next request.
  return idleExpiresAt < absoluteExpiresAt ? 'idle-timeout' : 'absolute-timeout';
}

/**
 * Ends a session past its deadline as the expiry it is, reporting it (`expired`) only from
 * the caller whose ending landed: parallel requests at the deadline each end it, and an
 * audit log must not count ten expiries of one session. With the store's `endIfExpired`,
 * only while a deadline is still past: `live` when a request read just before the deadline
 * has touched the session since `record` was read. Without it, the plain `end`.
 */
export async function expireRecord(
  rt: Runtime,
  sid: string,
  record: Pick<SessionRecord, 'absoluteExpiresAt' | 'userId'>,
  now: number,
  reason: 'idle-timeout' | 'absolute-timeout',
): Promise<ExpireResult> {
  const ended = { reason, at: now };
  const until = retainUntil(rt, record, now);
  const result = rt.store.endIfExpired
    ? await rt.store.endIfExpired(sid, ended, until, now)
    : await rt.store.end(sid, ended, until);
  if (result === 'ok') emitFor(rt, now, sid, record.userId, { type: 'expired', reason });
  return result;
}

/**
 * Ends a record, leaving a tombstone. A revocation emits `revoked` and deletes the
 * remember-me credential the session links (unless its detail says the credential is
 * handed on or dealt with elsewhere), or the device would sign straight back in.
 * Timeouts keep it: bringing the device back after one is what it is for. The record
 * ends before the credential goes, so a failing delete (503) never leaves the session alive.
 * `destroyed` is the event `destroy()` reports instead (one ending, one event); it goes out
 * as soon as the ending lands, so a store failing afterwards cannot swallow it.
 */
export async function endRecord(
  rt: Runtime,
  sid: string,
  record: Pick<SessionRecord, 'absoluteExpiresAt' | 'userId' | 'credentialId'>,
  now: number,
  ended: EndedMarker,
  destroyed: DestroyedEvent | null = null,
): Promise<boolean> {
  const result = await rt.store
    .end(sid, ended, retainUntil(rt, record, now))
    .catch(async (error: unknown) => {
      // An ending that timed out may still have landed, and then no later request reaches
      // this revocation again (each finds the session ended): the credential goes now, as
      // far as the store answers, or the device signs straight back in with it.
      if (revokesCredential(ended)) await forgetLinkedCredential(rt, record).catch(() => {});
      throw error;
    });
  if (result !== 'ok') return false;
  if (destroyed) emitFor(rt, now, sid, record.userId, destroyed);
  if (ended.reason === 'revoked') {
    if (!destroyed) {
      emitFor(rt, now, sid, record.userId, { type: 'revoked', detail: ended.detail ?? 'revoked' });
    }
    if (revokesCredential(ended)) await forgetEndedCredential(rt, sid, record);
  }
  return true;
}

/**
 * Deletes the credential an ended session links: the one `record` names, and one linked
 * after `record` was read (a "remember this device" request in flight), which is on the
 * tombstone. A revocation and a sign-out end the device's credential this way.
 */
export async function forgetEndedCredential(
  rt: Runtime,
  sid: string,
  record: Pick<SessionRecord, 'credentialId'>,
): Promise<void> {
  await forgetLinkedCredential(rt, record);
  const stored = await rt.store.get(sid);
  if (stored && stored.credentialId !== record.credentialId) {
    await forgetLinkedCredential(rt, stored);
  }
}

/** Deletes the credential a session links, if any. */
export async function forgetLinkedCredential(
  rt: Runtime,
  record: Pick<SessionRecord, 'credentialId'>,
): Promise<void> {
  const { credentialId } = record;
  if (typeof credentialId === 'string' && credentialId !== '') {
    await rt.store.deleteCredential(credentialId);
  }
}
