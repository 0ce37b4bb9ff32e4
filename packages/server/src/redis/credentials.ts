import { z } from 'zod';
import type { CredentialMethods } from '../store/own.js';
import type { CredentialRecord } from '../store/types.js';
import { json } from './codec.js';
import { isWrongType, type StoreContext } from './context.js';
import { expectReply, indexAdd, indexMembers, sweepIndex } from './user-index.js';

const epochMs = z.number().int().nonnegative();
const credentialSchema = z.object({
  tokenHash: z.string().min(1),
  userId: z.string(),
  createdAt: epochMs,
  expiresAt: epochMs,
  // Absent in credentials stored before rotations kept their predecessor.
  previous: z
    .object({ tokenHash: z.string().min(1), until: epochMs, sealedSuccessor: z.string().min(1) })
    .nullable()
    .optional(),
});

/**
 * The remember-me half of the Redis store: a HASH per credential (fields JSON-encoded,
 * expiring at its own `expiresAt`), a compare-and-set rotation script, and a per-user
 * index so "sign out everywhere" finds every credential.
 */
export function credentialMethods(ctx: StoreContext): CredentialMethods {
  const { keys, run } = ctx;

  async function getCredential(id: string): Promise<CredentialRecord | null> {
    let hash: Record<string, string>;
    try {
      hash = await ctx.hgetall(keys.credential(id));
    } catch (error) {
      if (!isWrongType(error)) throw error;
      ctx.onCorrupt({ kind: 'credential', id, issue: 'key is not a hash' });
      return null;
    }
    if (Object.keys(hash).length === 0) return null;
    const parsed = credentialSchema.safeParse(parseFields(hash));
    if (parsed.success) return parsed.data;
    ctx.onCorrupt({ kind: 'credential', id, issue: z.prettifyError(parsed.error) });
    return null;
  }

  return {
    getCredential,

    async createCredential(id, record) {
      const index = keys.userCredentials(record.userId);
      const fields = Object.entries(record).flatMap(([name, value]) =>
        value === undefined ? [] : [name, json(value)],
      );
      const args = [record.expiresAt, id, record.createdAt, ...fields];
      const together = !ctx.cluster;
      const reply = Number(
        await run.CREATE(together ? [keys.credential(id), index] : [keys.credential(id)], args),
      );
      if (reply === -1) return false;
      const size = together ? reply : await indexAdd(ctx, index, id, record.createdAt);
      if (size > ctx.pruneAbove) {
        await sweepIndex(ctx, index, getCredential, (found) => found.userId === record.userId);
      }
      return true;
    },

    async rotateCredential(id, expectedTokenHash, tokenHash, expiresAt, previous) {
      const args = [json(expectedTokenHash), json(tokenHash), json(expiresAt)];
      if (previous !== undefined) args.push(json(previous));
      const reply = await run.CREDENTIAL_ROTATE([keys.credential(id)], args);
      return expectReply(reply, ['ok', 'conflict', 'missing'] as const);
    },

    async deleteCredential(id) {
      // The index entry stays until the user's index is next swept.
      await run.DELETE([keys.credential(id)], []);
    },

    async deleteCredentialsOfUser(userId) {
      const index = keys.userCredentials(userId);
      const ids = await indexMembers(ctx, index);
      // Only credentials still owned by this user: the index is a hint, not the truth.
      await Promise.all(ids.map((id) => run.DELETE([keys.credential(id)], [json(userId)])));
      if (ids.length > 0) await run.INDEX_REMOVE([index], ids);
    },
  };
}

/** JSON-parses every field; a non-JSON field becomes `undefined` and fails validation. */
function parseFields(hash: Record<string, string>): Record<string, unknown> {
  // fromEntries defines own properties, so a stored `__proto__` field stays inert.
  return Object.fromEntries(
    Object.entries(hash).map(([field, text]) => [field, parseOrUndefined(text)]),
  );
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
