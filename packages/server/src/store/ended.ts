import type { SessionRecord } from './types.js';

/**
 * Revocations that leave the linked remember-me credential alone: the session only moved
 * on (`regenerated`); `revokeUser` deals with the user's credentials itself (deleting
 * them, or keeping them on request); a login refused by the session limit never reached
 * the browser (`session-limit-refused`); the limit made room by ending another session of
 * the same device, which still holds the credential (`session-limit-replaced`); a
 * privilege change's new session, ended because the one it replaced had ended meanwhile
 * (`regenerate-abandoned`), never reached the browser; a sign-in as another user replaced
 * it (`switched-user`), and that sign-in forgets the previous user's credential itself,
 * after checking the cookie it came with for theft. Every other revocation deletes it.
 */
const KEEPS_CREDENTIAL = new Set([
  'regenerated',
  'switched-user',
  'revoke-user',
  'session-limit-refused',
  'session-limit-replaced',
  'regenerate-abandoned',
]);

/** True for a revocation detail that leaves the linked credential alone. */
export const keepsCredential = (detail: string | undefined): boolean =>
  KEEPS_CREDENTIAL.has(detail ?? '');

/**
 * Whether a tombstone still leads somewhere a revocation follows (`manager.revoke(id)` of
 * an id listed before the device moved on): to the session that replaced it, or to the
 * remember-me credential its device may have come back with (it timed out, or a
 * revocation that hands the credential on ended it). A sign-out or any other revocation
 * deleted that credential, so nothing follows those.
 */
export function tombstoneFollowed({ ended, credentialId }: SessionRecord): boolean {
  if (ended === null) return false;
  if (ended.successor !== undefined) return true;
  if (!credentialId) return false;
  const { reason, detail } = ended;
  return (
    reason === 'idle-timeout' ||
    reason === 'absolute-timeout' ||
    (reason === 'revoked' && keepsCredential(detail))
  );
}
