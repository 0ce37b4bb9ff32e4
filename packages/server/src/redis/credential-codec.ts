import { z } from 'zod';
import { epochMs } from '../store/meta-schema.js';
import type { CredentialRecord, PreviousCredential } from '../store/types.js';
import { json, parseOrUndefined } from './codec.js';

const previousSchema = z.object({
  tokenHash: z.string().min(1),
  until: epochMs,
  sealedSuccessor: z.string().min(1),
});
// Strict, as a session hash's layout is: a field outside it is content gone wrong.
const credentialSchema = z.strictObject({
  tokenHash: z.string().min(1),
  userId: z.string(),
  createdAt: epochMs,
  expiresAt: epochMs,
  // Only in hashes rotated before the predecessor got its own key; absent in all others.
  previous: previousSchema.nullable().optional(),
});

/** A decoded `CREDENTIAL_READ` reply: the record, and what was wrong in the store, if anything. */
export interface DecodedCredential {
  record: CredentialRecord | null;
  issue: string | null;
}

/**
 * Decodes a `CREDENTIAL_READ` reply. A broken hash is no credential; a broken predecessor
 * key is only no predecessor (a rotation replaces it). A predecessor whose `until` is at
 * or before `now` is left out, whichever key held it.
 */
export function decodeCredential(reply: unknown, now: number): DecodedCredential {
  if (reply === 'wrongtype') return { record: null, issue: 'key is not a hash' };
  if (!Array.isArray(reply) || !Array.isArray(reply[0])) {
    throw new Error(`redisStore: unexpected credential reply ${JSON.stringify(reply)}`);
  }
  const [pairs, stored] = reply as [unknown[], unknown];
  if (pairs.length === 0) return { record: null, issue: null };
  const parsed = credentialSchema.safeParse(parseFields(pairs));
  if (!parsed.success) return { record: null, issue: z.prettifyError(parsed.error) };
  // The scripts compare these as stored text (DELETE the user id, CREDENTIAL_ROTATE the
  // token hash): another spelling of the same JSON would read as valid here while
  // revoke-all left it behind or every rotation answered conflict.
  for (const name of SPELT) {
    if (json(parsed.data[name]) !== storedText(pairs, name)) {
      return { record: null, issue: `field ${name} is not in the form the store writes` };
    }
  }
  const { previous: legacy, ...record } = parsed.data;
  const own = decodePrevious(stored);
  // Both only while instances of two versions share the store (a rolling deploy): the
  // later window is the newer rotation.
  const candidates = [own.previous, legacy ?? null].filter((p) => p !== null);
  const previous = candidates.sort((a, b) => b.until - a.until)[0] ?? null;
  if (previous !== null && previous.until > now) Object.assign(record, { previous });
  return { record, issue: own.issue };
}

function decodePrevious(stored: unknown): {
  previous: PreviousCredential | null;
  issue: string | null;
} {
  if (stored === null || stored === undefined) return { previous: null, issue: null };
  if (typeof stored !== 'string') {
    return { previous: null, issue: 'previous: key is not a string' };
  }
  const parsed = previousSchema.safeParse(parseOrUndefined(stored));
  if (parsed.success) return { previous: parsed.data, issue: null };
  return { previous: null, issue: `previous: ${z.prettifyError(parsed.error)}` };
}

/** What a credential hash holds: the read's layout, but `previous`, which has its own key. */
const FIELDS = Object.keys(credentialSchema.shape).filter(
  (name) => name !== 'previous',
) as (keyof CredentialRecord)[];

/**
 * The hash fields of a new credential: its own fields only, as the read refuses any other
 * (a caller's extra property would have made the credential unreadable).
 */
export function credentialFields(record: CredentialRecord): string[] {
  return FIELDS.flatMap((name) => (record[name] === undefined ? [] : [name, json(record[name])]));
}

/**
 * A predecessor as the create and rotate scripts take it: its JSON and how many ms its key
 * lives, until its `until` but never past the credential; `['', '']` for none or one
 * already over. A time to live, not a time: a Redis clock apart from this instance's
 * would otherwise shift a window of seconds. Checked here, as PEXPIRE takes only a
 * positive integer and a script stops half done.
 */
export function previousArgs(
  previous: PreviousCredential | null | undefined,
  expiresAt: number,
  now: number,
): [string, string] {
  if (previous == null) return ['', ''];
  const ttl = Math.floor(Math.min(previous.until, expiresAt) - now);
  if (!Number.isSafeInteger(ttl)) {
    throw new TypeError(
      `redisStore: previous.until must be epoch milliseconds, got ${previous.until}`,
    );
  }
  return ttl > 0 ? [json(previous), String(ttl)] : ['', ''];
}

/** Fields whose stored text must be exactly `json()` of their value. */
const SPELT = ['userId', 'tokenHash'] as const;

/** The stored text of field `name` in HGETALL pairs (the last one, as `parseFields` keeps). */
function storedText(pairs: readonly unknown[], name: string): unknown {
  let text: unknown;
  for (let i = 0; i + 1 < pairs.length; i += 2) if (pairs[i] === name) text = pairs[i + 1];
  return text;
}

/** JSON-parses every field of HGETALL pairs; a non-JSON one becomes `undefined` and fails. */
function parseFields(pairs: readonly unknown[]): Record<string, unknown> {
  const fields: Array<[string, unknown]> = [];
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const [field, text] = [pairs[i], pairs[i + 1]];
    fields.push([String(field), typeof text === 'string' ? parseOrUndefined(text) : undefined]);
  }
  // fromEntries defines own properties, so a stored `__proto__` field stays inert.
  return Object.fromEntries(fields);
}
