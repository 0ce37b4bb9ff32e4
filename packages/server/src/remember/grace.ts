import type { CredentialRecord, PreviousCredential } from '../store/types.js';
import type { TokenHasher } from '../token/hasher.js';
import { sealSuccessor, unsealSuccessor } from '../token/seal.js';
import type { SessionToken } from '../token/token.js';
import { MAX_GRACE_MS } from './options.js';

/**
 * The grace window of a remember-me rotation: parallel uses of one cookie (two tabs, a
 * retry) present the validator a use just replaced. The rotation stores that validator's
 * hash beside the new one, with the new token sealed under a key derived from the
 * replaced one, so only a request presenting it can open it and nothing in the store
 * works as a cookie. The store forgets it at `until` (store contract), so past the window
 * not even a store reader holding the replaced cookie can open the current one.
 * `graceMs` 0: no window, every replaced validator is theft.
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
     * The credential's current token as `token` leads to it: `token` itself when it is
     * current, the successor it was rotated to when it is the replaced validator inside
     * its window (a parallel use, or a request that read before the rotation), else
     * `null`, which at first sight is taken for theft.
     */
    async current(
      record: CredentialRecord,
      token: SessionToken,
      id: string,
    ): Promise<SessionToken | null> {
      const hash = hasher.tokenHash(token);
      if (hasher.equal(record.tokenHash, hash)) return token;
      const previous = record.previous;
      if (!inWindow(previous) || !hasher.equal(previous.tokenHash, hash)) return null;
      const successor = await unsealSuccessor(token, previous.sealedSuccessor, id);
      // It must be the current validator: one rotated on since is not handed out.
      if (successor === null || !hasher.equal(record.tokenHash, hasher.tokenHash(successor))) {
        return null;
      }
      return successor;
    },
  };

  /**
   * A well-formed predecessor whose window is open now. Anything else (another store's
   * malformed record, a window longer than any `graceMs` can set) counts as none. The
   * bound is the option's maximum, not this instance's `graceMs`: another instance whose
   * clock runs a little ahead writes an `until` slightly past this one's reach.
   */
  function inWindow(previous: unknown): previous is PreviousCredential {
    if (typeof previous !== 'object' || previous === null) return false;
    const { tokenHash, until, sealedSuccessor } = previous as Partial<PreviousCredential>;
    const at = now();
    return (
      typeof tokenHash === 'string' &&
      typeof sealedSuccessor === 'string' &&
      typeof until === 'number' &&
      at < until &&
      until <= at + MAX_GRACE_MS
    );
  }
}
