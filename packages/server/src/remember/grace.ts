import type { CredentialRecord, PreviousCredential } from '../store/types.js';
import type { TokenHasher } from '../token/hasher.js';
import { sealSuccessor, unsealSuccessor } from '../token/seal.js';
import type { SessionToken } from '../token/token.js';

/**
 * The grace window of a remember-me rotation: parallel uses of one cookie (two tabs, a
 * retry) present the validator a use just replaced. The rotation stores that validator's
 * hash beside the new one, with the new token sealed under a key derived from the
 * replaced one, so only a request presenting it can open it and nothing in the store
 * works as a cookie. `graceMs` 0: no window, every replaced validator is theft.
 */
export function credentialGrace(hasher: TokenHasher, now: () => number, graceMs: number) {
  return {
    /** What a rotation from `token` to `next` stores as the credential's `previous`. */
    async predecessor(
      token: SessionToken,
      next: SessionToken,
      id: string,
    ): Promise<PreviousCredential | undefined> {
      if (graceMs === 0) return undefined;
      const sealedSuccessor = await sealSuccessor(token, next, id);
      return { tokenHash: hasher.tokenHash(token), until: now() + graceMs, sealedSuccessor };
    },

    /**
     * The current token for a request presenting the validator the last rotation replaced,
     * inside its window; `null` for anything else, which is taken for theft.
     */
    async successor(
      record: CredentialRecord,
      token: SessionToken,
      presentedHash: string,
      id: string,
    ): Promise<SessionToken | null> {
      const previous = record.previous;
      if (!previous || now() >= previous.until) return null;
      if (!hasher.equal(previous.tokenHash, presentedHash)) return null;
      const successor = await unsealSuccessor(token, previous.sealedSuccessor, id);
      // It must still be the current validator: one rotated on since is not handed out.
      if (successor === null || !hasher.equal(record.tokenHash, hasher.tokenHash(successor))) {
        return null;
      }
      return successor;
    },
  };
}
