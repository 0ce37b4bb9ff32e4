import { hkdf } from '../session/seeded.js';
import type { CredentialRecord, PreviousCredential } from '../store/types.js';
import type { TokenHasher } from '../token/hasher.js';
import { sealSuccessor, unsealSuccessor } from '../token/seal.js';
import type { SessionToken } from '../token/token.js';

const SEED_INFO = new TextEncoder().encode('lifeline/remember/session-seed/v1');

/**
 * What a rotation from `token` to `next` stores as the credential's `previous`: the
 * successor sealed under a key derived from `token` and bound to the credential id, so
 * only a request presenting `token` can open it and the store holds nothing usable.
 */
export async function predecessorOf(
  token: SessionToken,
  tokenHash: string,
  next: SessionToken,
  id: string,
  until: number,
): Promise<PreviousCredential> {
  return { tokenHash, until, sealedSuccessor: await sealSuccessor(token, next, id) };
}

/**
 * The credential's current token when `presented` (hashing to `hash`) is the predecessor
 * its last rotation replaced and its window is still open; else `null`: an older token,
 * or one past its window, is a replay. Only the immediate predecessor is ever considered.
 */
export async function successorInGrace(
  hasher: TokenHasher,
  record: CredentialRecord,
  presented: SessionToken,
  hash: string,
  id: string,
  now: number,
): Promise<SessionToken | null> {
  const previous = record.previous;
  if (!previous || now >= previous.until || !hasher.equal(previous.tokenHash, hash)) return null;
  const successor = await unsealSuccessor(presented, previous.sealedSuccessor, id);
  // One that does not open, or is not the current token, means corrupt store contents.
  if (!successor || !hasher.equal(hasher.tokenHash(successor), record.tokenHash)) return null;
  return successor;
}

/**
 * The `sessionSeed` of a re-auth that leaves `current` as the credential's token: the same
 * for every parallel use, derivable only by a holder of the credential, and never the
 * cookie itself, so a proof that ends up in a log holds no credential.
 */
export function sessionSeed(current: SessionToken, id: string): Promise<Uint8Array> {
  return hkdf(current.bytes, id, SEED_INFO);
}
