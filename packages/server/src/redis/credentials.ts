import { checkExpiresAt } from '../store/expires-at.js';
import type { CredentialMethods } from '../store/own.js';
import type { CredentialRecord } from '../store/types.js';
import { mapInBatches } from './batches.js';
import { json } from './codec.js';
import type { StoreContext } from './context.js';
import { credentialFields, decodeCredential, previousArgs } from './credential-codec.js';
import {
  indexAdd,
  indexMembers,
  indexSize,
  replyAndOwner,
  sweepIfDue,
  sweepIndex,
} from './user-index.js';

/**
 * The remember-me half of the Redis store: a HASH per credential (fields JSON-encoded,
 * expiring at its own `expiresAt`), its predecessor under a key of its own that expires
 * at the grace window's end (credential-scripts.ts), a compare-and-set rotation script,
 * and a per-user index so "sign out everywhere" finds every credential.
 */
export function credentialMethods(ctx: StoreContext): CredentialMethods {
  const { keys, run } = ctx;
  /** Every key of one credential, all in its hash tag: the hash first. */
  const keysOf = (id: string) => [keys.credential(id), keys.credentialPrevious(id)];

  async function getCredential(id: string): Promise<CredentialRecord | null> {
    const reply = await run.CREDENTIAL_READ(keysOf(id), []);
    const { record, issue } = decodeCredential(reply, ctx.now());
    if (issue !== null) ctx.onCorrupt({ kind: 'credential', id, issue });
    return record;
  }

  return {
    getCredential,

    async createCredential(id, record) {
      checkExpiresAt('redisStore', record.expiresAt);
      const index = keys.userCredentials(record.userId);
      const { expiresAt, createdAt } = record;
      const stored = previousArgs(record.previous, expiresAt, ctx.now());
      const args = [expiresAt, id, createdAt, ...stored, ...credentialFields(record)];
      const together = !ctx.cluster;
      const reply = await run.CREDENTIAL_CREATE(
        together ? [...keysOf(id), index] : keysOf(id),
        args,
      );
      if (Number(reply) === -1) return false;
      const size = together
        ? indexSize(ctx, index, reply)
        : await indexAdd(ctx, index, id, record.createdAt, expiresAt);
      sweepIfDue(ctx, index, size, () =>
        sweepIndex(ctx, index, getCredential, (found) => found.userId === record.userId),
      );
      return true;
    },

    async rotateCredential(id, expectedTokenHash, tokenHash, expiresAt, previous) {
      checkExpiresAt('redisStore', expiresAt);
      const args = [json(expectedTokenHash), json(tokenHash), json(expiresAt)];
      const [stored, ttl] = previousArgs(previous, expiresAt, ctx.now());
      if (stored !== '') args.push(stored, ttl);
      const reply = await run.CREDENTIAL_ROTATE(keysOf(id), args);
      const [result, owner] = replyAndOwner(reply, ['ok', 'conflict', 'missing'] as const);
      // A credential that now outlives its user's index moves the index's expiry too, or a
      // revoke-all after the index expired would miss it.
      if (owner !== null && result === 'ok') {
        await indexAdd(ctx, keys.userCredentials(owner), id, ctx.now(), expiresAt);
      }
      return result;
    },

    async deleteCredential(id) {
      const [, owner] = replyAndOwner(await run.CREDENTIAL_DELETE(keysOf(id), []), ['ok']);
      // A second round trip for the index (another slot on a cluster), best effort: the
      // credential is gone, and a caller told otherwise would retry and find nothing (a
      // theft report lost). A failed one leaves the entry, a hint to a missing credential,
      // until the user's index is next swept.
      if (owner !== null) {
        await run.INDEX_REMOVE([keys.userCredentials(owner)], [id]).catch(() => undefined);
      }
    },

    async deleteCredentialsOfUser(userId) {
      const index = keys.userCredentials(userId);
      const ids = await indexMembers(ctx, index);
      // Only credentials still owned by this user: the index is a hint, not the truth.
      const removable = await mapInBatches(ids, async (id) => {
        const reply = await run.DELETE(keysOf(id), [json(userId)]);
        if (Number(reply) !== -1) return id;
        // Its stored user id differs: drop the entry only if the credential is not this
        // user's after all, or a later revoke-all could never find it.
        const found = await getCredential(id);
        return found === null || found.userId !== userId ? id : null;
      });
      const gone = removable.filter((id) => id !== null);
      if (gone.length > 0) await run.INDEX_REMOVE([index], gone);
    },
  };
}
