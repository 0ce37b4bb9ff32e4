import { z } from 'zod';
import { checkClaims } from '../contract/claims.js';
import { MAX_CLAIMS_DEPTH, nestsDeeperThan } from '../contract/depth.js';
import { END_REASONS } from '../contract/protocol.js';
import { MAX_EPOCH_MS } from './expires-at.js';
import type { SessionRecord } from './types.js';

/** A stored instant (see `MAX_EPOCH_MS`: a later one could not be written back). */
export const epochMs = z.number().int().nonnegative().max(MAX_EPOCH_MS);
const jsonObject = z.record(z.string(), z.json());
// Claims nested deeper than the status route can serialise are store content gone wrong.
const claims = jsonObject.refine(
  (user) => !nestsDeeperThan(user, MAX_CLAIMS_DEPTH),
  `nests deeper than ${MAX_CLAIMS_DEPTH} levels`,
);

/** What a session's meta fields must be: checked at every write (`refuseMeta`), and by the Redis store at reads. */
export const metaSchema = z.object({
  tokenHash: z.string().min(1),
  previous: z
    .object({
      tokenHash: z.string().min(1),
      until: epochMs,
      // Inline only in records written before it moved to its own key.
      sealedSuccessor: z.string().optional(),
      confirmed: z.boolean().optional(),
    })
    .nullable(),
  userId: z.string().nullable(),
  user: claims.nullable(),
  createdAt: epochMs,
  authenticatedAt: epochMs.nullable(),
  lastActiveAt: epochMs,
  idleExpiresAt: epochMs,
  absoluteExpiresAt: epochMs,
  rotatedAt: epochMs,
  userAgent: z.string().nullable(),
  location: z.string().nullable().optional(),
  credentialId: z.string().nullable().optional(),
  ended: z
    .object({
      reason: z.enum(END_REASONS).exclude(['missing']),
      detail: z.string().optional(),
      at: epochMs,
      successor: z.string().optional(),
    })
    .nullable(),
});

/**
 * Throws a `TypeError` naming the first meta field of `meta` (a record or a patch's meta)
 * whose value the schema refuses, before a store writes anything. Stored, such a value was
 * read back as it was by the memory store (a 500 in the session routes) and as a corrupt
 * record by the Redis store (the session lost): both stores refuse it alike. Fields the
 * schema does not know (`data`) and `undefined` values are left alone.
 */
export function refuseMeta(store: string, meta: object): void {
  const shape: Record<string, z.ZodType> = metaSchema.shape;
  for (const [name, value] of Object.entries(meta)) {
    if (value === undefined || !Object.hasOwn(shape, name)) continue;
    // Claims by the rule sign-in checks them with: a property left `undefined` is dropped
    // by JSON, as docs/stores.md says, where `z.json()` would refuse it.
    if (name === 'user' && value !== null) {
      checkClaims(`${store}: meta \`user\``, value);
      continue;
    }
    let issue: string | undefined;
    try {
      issue = shape[name]!.safeParse(value).error?.issues[0]?.message;
    } catch {
      // Claims nested deep enough to overflow zod's recursive walk.
      issue = 'cannot be validated';
    }
    if (issue !== undefined) throw new TypeError(`${store}: meta \`${name}\` ${issue}`);
  }
}

/**
 * {@link refuseMeta} for a whole record, as `create` takes it: a field the schema requires
 * may not be missing or `undefined` either, and `data` must be an object. The memory store
 * kept such a record and then threw on reading it; the Redis store refused it with a
 * message that named nothing.
 */
export function refuseRecord(store: string, record: SessionRecord): void {
  const { data } = record as { data?: unknown };
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new TypeError(`${store}: \`data\` must be an object`);
  }
  const fields = record as unknown as Record<string, unknown>;
  for (const [name, field] of Object.entries(metaSchema.shape)) {
    if (fields[name] === undefined && !field.safeParse(undefined).success) {
      throw new TypeError(`${store}: meta \`${name}\` is missing`);
    }
  }
  refuseMeta(store, record);
}
