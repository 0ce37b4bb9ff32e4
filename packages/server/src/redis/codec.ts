import { z } from 'zod';
import { END_REASONS } from '../contract/protocol.js';
import type { JsonValue, SessionPatch, SessionRecord } from '../store/types.js';

/**
 * How a session record maps onto a Redis HASH: data key `k` is field `d:k`, meta field
 * `name` is `m:name`, every value JSON. Separate fields let concurrent requests write
 * different keys without overwriting each other.
 */
const DATA = 'd:';
const META = 'm:';

const epochMs = z.number().int().nonnegative();
const jsonObject = z.record(z.string(), z.json());

const metaSchema = z.object({
  tokenHash: z.string().min(1),
  previous: z
    .object({ tokenHash: z.string().min(1), until: epochMs, sealedSuccessor: z.string() })
    .nullable(),
  userId: z.string().nullable(),
  user: jsonObject.nullable(),
  createdAt: epochMs,
  authenticatedAt: epochMs.nullable(),
  lastActiveAt: epochMs,
  idleExpiresAt: epochMs,
  absoluteExpiresAt: epochMs,
  rotatedAt: epochMs,
  userAgent: z.string().nullable(),
  location: z.string().nullable().optional(),
  ended: z
    .object({
      reason: z.enum(END_REASONS).exclude(['missing']),
      detail: z.string().optional(),
      at: epochMs,
    })
    .nullable(),
});

/** Meta fields a patch may never change, even from untyped callers. */
const FIXED_META = new Set(['tokenHash', 'previous', 'ended', 'createdAt']);

/** JSON text of a value; throws on what JSON cannot hold (`undefined`, functions). */
export function json(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError('redisStore: value is not JSON-serialisable');
  return text;
}

/** The field/value pairs of a whole record, as `HSET` takes them. */
export function recordFields(record: SessionRecord): string[] {
  const { data, ...meta } = record;
  const out: string[] = [];
  for (const [name, value] of Object.entries(meta)) out.push(META + name, json(value));
  for (const [key, value] of Object.entries(data)) out.push(DATA + key, json(value));
  return out;
}

/** A patch as field/value pairs to set and fields to delete. */
export function patchFields(patch: SessionPatch): { set: string[]; unset: string[] } {
  const set: string[] = [];
  for (const [key, value] of Object.entries(patch.set ?? {})) set.push(DATA + key, json(value));
  for (const [name, value] of Object.entries(patch.meta ?? {})) {
    if (!FIXED_META.has(name) && value !== undefined) set.push(META + name, json(value));
  }
  return { set, unset: (patch.unset ?? []).map((key) => DATA + key) };
}

/** Result of decoding a stored hash: the record, or why it is unusable. */
export type Decoded<T> = { ok: true; value: T } | { ok: false; issue: string };

/**
 * Parses and validates a session hash. Anything unexpected (a field outside `d:`/`m:`,
 * non-JSON text, a missing or mistyped meta field) makes the whole record unusable:
 * half a session is worse than none.
 */
export function decodeSession(hash: Record<string, string>): Decoded<SessionRecord> {
  // Runs on every request: one pass, no intermediate entry arrays.
  // No prototype: a stored `m:__proto__` must be a plain (stripped) key, not meta's parent.
  const meta: Record<string, unknown> = Object.create(null);
  const data: Array<[string, JsonValue]> = [];
  for (const field of Object.keys(hash)) {
    const isMeta = field.startsWith(META);
    if (!isMeta && !field.startsWith(DATA))
      return { ok: false, issue: `unexpected field ${field}` };
    let value: unknown;
    try {
      value = JSON.parse(hash[field]!);
    } catch {
      return { ok: false, issue: `field ${field} is not JSON` };
    }
    if (isMeta) meta[field.slice(2)] = value;
    else data.push([field.slice(2), value as JsonValue]);
  }
  const parsed = metaSchema.safeParse(meta);
  if (!parsed.success) return { ok: false, issue: z.prettifyError(parsed.error) };
  // fromEntries defines own properties, so a stored `d:__proto__` stays plain data.
  const record = parsed.data as SessionRecord;
  record.data = Object.fromEntries(data);
  return { ok: true, value: record };
}
