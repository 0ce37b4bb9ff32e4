import { z } from 'zod';
import { MAX_CLAIMS_DEPTH } from '../contract/depth.js';
import { parsedJsonProblem } from '../contract/json-data.js';
import { END_REASONS } from '../contract/protocol.js';
import { isEpochMs } from '../store/expires-at.js';
import { metaSchema } from '../store/meta-schema.js';
import type { EndedMarker, JsonValue, PreviousToken, SessionMeta } from '../store/types.js';

/*
 * What a stored session's meta fields must be: `metaSchema` (store/meta-schema.ts) is the
 * record of truth; `readMeta` adds a hand-written check in front of it that accepts only what the schema
 * accepts and builds the same output, so the common, well-formed record skips zod's
 * generic walk (about 2 µs on every request). Anything the quick check does not accept
 * (a malformed record, or a valid but unusual one, e.g. with a meta field this version
 * does not know) goes to zod, which decides and explains.
 */

/** Meta values as parsed from the stored JSON, by field name; absent fields absent or `undefined`. */
export type RawMeta = { readonly [K in keyof SessionMeta]?: unknown };

/** Result of validating stored meta: the meta, or why it is unusable. */
export type MetaReading = { ok: true; meta: SessionMeta } | { ok: false; issue: string };

const ENDED_REASONS: ReadonlySet<unknown> = new Set(END_REASONS.filter((r) => r !== 'missing'));

const isText = (v: unknown): v is string => typeof v === 'string';
const isTextOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

/** `previous` as the schema outputs it (only its known fields), or undefined if not plainly valid. */
function quickPrevious(v: unknown): PreviousToken | null | undefined {
  if (v === null) return null;
  if (!isPlainObject(v)) return undefined;
  const { tokenHash, until, sealedSuccessor, confirmed } = v;
  if (!isText(tokenHash) || tokenHash.length === 0 || !isEpochMs(until)) return undefined;
  if (confirmed !== undefined && typeof confirmed !== 'boolean') return undefined;
  const previous: PreviousToken = { tokenHash, until };
  if (sealedSuccessor !== undefined) {
    if (!isText(sealedSuccessor)) return undefined;
    previous.sealedSuccessor = sealedSuccessor;
  }
  if (confirmed !== undefined) previous.confirmed = confirmed;
  return previous;
}

/** `ended` as the schema outputs it, or undefined if not plainly valid. */
function quickEnded(v: unknown): EndedMarker | null | undefined {
  if (v === null) return null;
  if (!isPlainObject(v)) return undefined;
  const { reason, detail, at, successor } = v;
  if (!ENDED_REASONS.has(reason) || !isEpochMs(at)) return undefined;
  if (detail !== undefined && !isText(detail)) return undefined;
  if (successor !== undefined && !isText(successor)) return undefined;
  const ended: EndedMarker = { reason: reason as EndedMarker['reason'], at };
  if (detail !== undefined) ended.detail = detail;
  if (successor !== undefined) ended.successor = successor;
  return ended;
}

/**
 * `user` as the schema outputs it. The value comes from `JSON.parse`, so it is plain data
 * already; only a key `__proto__` (which the schema drops), nesting too deep and a number
 * beyond a double (`1e400` parses to `Infinity`), which it refuses, need zod.
 */
function quickUser(v: unknown): { [key: string]: JsonValue } | null | undefined {
  if (v === null) return null;
  if (!isPlainObject(v) || Object.hasOwn(v, '__proto__')) return undefined;
  if (parsedJsonProblem(v, MAX_CLAIMS_DEPTH) !== null) return undefined;
  return v as { [key: string]: JsonValue };
}

/** The quick check: the meta when every field is plainly valid, else `null` (ask zod). */
function quickMeta(raw: RawMeta): SessionMeta | null {
  const previous = quickPrevious(raw.previous);
  const user = quickUser(raw.user);
  const ended = quickEnded(raw.ended);
  const {
    tokenHash,
    userId,
    createdAt,
    authenticatedAt,
    lastActiveAt,
    idleExpiresAt,
    absoluteExpiresAt,
    rotatedAt,
    userAgent,
    location,
    credentialId,
  } = raw;
  if (
    previous === undefined ||
    user === undefined ||
    ended === undefined ||
    !isText(tokenHash) ||
    tokenHash.length === 0 ||
    !isTextOrNull(userId) ||
    !isEpochMs(createdAt) ||
    !(authenticatedAt === null || isEpochMs(authenticatedAt)) ||
    !isEpochMs(lastActiveAt) ||
    !isEpochMs(idleExpiresAt) ||
    !isEpochMs(absoluteExpiresAt) ||
    !isEpochMs(rotatedAt) ||
    !isTextOrNull(userAgent) ||
    !(location === undefined || isTextOrNull(location)) ||
    !(credentialId === undefined || isTextOrNull(credentialId))
  ) {
    return null;
  }
  const meta: SessionMeta = {
    tokenHash,
    previous,
    userId,
    user,
    createdAt,
    authenticatedAt,
    lastActiveAt,
    idleExpiresAt,
    absoluteExpiresAt,
    rotatedAt,
    userAgent,
    ended,
  };
  // Fields absent in older records stay absent, as the schema outputs them.
  if (location !== undefined) meta.location = location;
  if (credentialId !== undefined) meta.credentialId = credentialId;
  return meta;
}

/**
 * Validates a stored session's meta. `raw` holds `JSON.parse` output only. Like the
 * schema, the output keeps the known fields only (an unknown one is dropped, not an error).
 */
export function readMeta(raw: RawMeta): MetaReading {
  const meta = quickMeta(raw);
  if (meta !== null) return { ok: true, meta };
  // zod sees only the fields present, as stored: an unset slot is an absent field.
  const present: Record<string, unknown> = Object.create(null);
  for (const [name, value] of Object.entries(raw)) if (value !== undefined) present[name] = value;
  let parsed: ReturnType<typeof metaSchema.safeParse>;
  try {
    parsed = metaSchema.safeParse(present);
  } catch (error) {
    // safeParse reports invalid input but throws what its recursive walk cannot survive
    // (JSON nested thousands deep overflows the stack): still a corrupt record, not an outage.
    return { ok: false, issue: `meta cannot be validated: ${(error as Error)?.name ?? error}` };
  }
  if (!parsed.success) return { ok: false, issue: z.prettifyError(parsed.error) };
  return { ok: true, meta: parsed.data as SessionMeta };
}
