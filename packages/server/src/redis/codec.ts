import { MAX_DATA_DEPTH } from '../contract/depth.js';
import { parsedJsonProblem } from '../contract/json-data.js';
import { refuseDataKey, refuseDataValue } from '../store/data-limits.js';
import { refuseMeta, refuseRecord } from '../store/meta-schema.js';
import { setOwn } from '../store/own.js';
import type { JsonValue, SessionPatch, SessionRecord } from '../store/types.js';
import { readMeta } from './meta.js';

/**
 * How a session record maps onto a Redis HASH: data key `k` is field `d:k`, meta field
 * `name` is `m:name`, every value JSON. Separate fields let concurrent requests write
 * different keys without overwriting each other.
 */
const DATA = 'd:';
const META = 'm:';

/** Meta fields a patch may never change, even from untyped callers. */
const FIXED_META = new Set(['tokenHash', 'previous', 'ended', 'createdAt']);

/** JSON text of a value; throws on what JSON cannot hold (`undefined`, functions). */
export function json(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError('redisStore: value is not JSON-serialisable');
  return text;
}

/** `JSON.parse`, or `undefined` for text that is not JSON. */
export function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * A data value's JSON; refuses what the memory store would refuse too (see `refuseData`):
 * a value nested deeper than the decoder reads back or that JSON would change, and a key
 * that is not well-formed Unicode (its field name would meet another key's).
 */
function dataJson(key: string, value: unknown): string {
  refuseDataValue('redisStore', key, value);
  return json(value);
}

/** The field/value pairs of a whole record, as `HSET` takes them. */
export function recordFields(record: SessionRecord): string[] {
  refuseRecord('redisStore', record);
  const { data, ...meta } = record;
  const out: string[] = [];
  for (const [name, value] of Object.entries(meta)) out.push(META + name, json(value));
  for (const [key, value] of Object.entries(data)) out.push(DATA + key, dataJson(key, value));
  return out;
}

/** A patch as field/value pairs to set and fields to delete. */
export function patchFields(patch: SessionPatch): { set: string[]; unset: string[] } {
  if (patch.meta) refuseMeta('redisStore', patch.meta);
  const set: string[] = [];
  for (const [key, value] of Object.entries(patch.set ?? {}))
    set.push(DATA + key, dataJson(key, value));
  for (const [name, value] of Object.entries(patch.meta ?? {})) {
    if (!FIXED_META.has(name) && value !== undefined) set.push(META + name, json(value));
  }
  const unset = (patch.unset ?? []).map((key) => {
    refuseDataKey('redisStore', key);
    return DATA + key;
  });
  return { set, unset };
}

/**
 * `JSON.parse` with shortcuts for the values most meta fields hold: `null` and a
 * non-negative integer of up to 15 digits (every epoch-ms deadline), read digit by digit
 * to the same number. Anything else, including every other spelling of a number, goes to
 * `JSON.parse`, so what is accepted and what it means do not change.
 */
export function parseStoredJson(text: string): unknown {
  if (text === 'null') return null;
  const first = text.charCodeAt(0);
  // 1-9 first (NaN for '' fails too): JSON forbids leading zeros; 15 digits stay below 2^53, so the sum is exact.
  if (!(first >= 49 && first <= 57) || text.length > 15) return JSON.parse(text);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return JSON.parse(text);
    n = n * 10 + digit;
  }
  return n;
}

/**
 * A session hash as the client answers it: field/value pairs (a raw `HGETALL` or a Lua
 * reply) or an object (a client's `hgetall`).
 */
export type StoredHash = readonly unknown[] | Readonly<Record<string, string>>;

/** True for a missing key's reply: no fields (without listing them). */
export function isEmptyHash(hash: StoredHash): boolean {
  if (Array.isArray(hash)) return hash.length === 0;
  for (const _field in hash) return false;
  return true;
}

/** Result of decoding a stored hash: the record, or why it is unusable. */
export type Decoded<T> = { ok: true; value: T } | { ok: false; issue: string };

/** The meta fields as parsed, by name; one fixed shape, so filling and reading it is cheap. */
interface MetaSlots {
  tokenHash: unknown;
  previous: unknown;
  userId: unknown;
  user: unknown;
  createdAt: unknown;
  authenticatedAt: unknown;
  lastActiveAt: unknown;
  idleExpiresAt: unknown;
  absoluteExpiresAt: unknown;
  rotatedAt: unknown;
  userAgent: unknown;
  location: unknown;
  credentialId: unknown;
  ended: unknown;
}

/** A record being decoded: its meta slots, its data, and the first problem found. */
class RecordReader {
  readonly meta: MetaSlots = {
    tokenHash: undefined,
    previous: undefined,
    userId: undefined,
    user: undefined,
    createdAt: undefined,
    authenticatedAt: undefined,
    lastActiveAt: undefined,
    idleExpiresAt: undefined,
    absoluteExpiresAt: undefined,
    rotatedAt: undefined,
    userAgent: undefined,
    location: undefined,
    credentialId: undefined,
    ended: undefined,
  };
  readonly data: { [key: string]: JsonValue } = {};
  issue: string | null = null;

  /** A field whose text is not the form the store writes (and its scripts compare). */
  #odd(field: string): false {
    this.issue = `field ${field} is not in the form the store writes`;
    return false;
  }

  /** Takes one stored field; false (with `issue` set) when it makes the record unusable. */
  take(field: unknown, text: unknown): boolean {
    if (typeof field !== 'string' || typeof text !== 'string') {
      this.issue = 'reply is not field/value strings';
      return false;
    }
    let value: unknown;
    try {
      value = parseStoredJson(text);
    } catch {
      this.issue = `field ${field} is not JSON`;
      return false;
    }
    const meta = this.meta;
    // Whole field names, compared as strings: no slicing and no lookup by a computed key.
    switch (field) {
      // The scripts compare these two as stored text (the token hash as its JSON, a live
      // record's `m:ended` as `null`): another spelling of the same JSON would read as live
      // here while every conditional write refused it, unsaid.
      case 'm:tokenHash':
        if (typeof value === 'string' && text.length !== value.length + 2) return this.#odd(field);
        meta.tokenHash = value;
        return true;
      case 'm:previous':
        meta.previous = value;
        return true;
      case 'm:userId':
        meta.userId = value;
        return true;
      case 'm:user':
        meta.user = value;
        return true;
      case 'm:createdAt':
        meta.createdAt = value;
        return true;
      case 'm:authenticatedAt':
        meta.authenticatedAt = value;
        return true;
      case 'm:lastActiveAt':
        meta.lastActiveAt = value;
        return true;
      case 'm:idleExpiresAt':
        meta.idleExpiresAt = value;
        return true;
      case 'm:absoluteExpiresAt':
        meta.absoluteExpiresAt = value;
        return true;
      case 'm:rotatedAt':
        meta.rotatedAt = value;
        return true;
      case 'm:userAgent':
        meta.userAgent = value;
        return true;
      case 'm:location':
        meta.location = value;
        return true;
      case 'm:credentialId':
        meta.credentialId = value;
        return true;
      case 'm:ended':
        if (value === null && text !== 'null') return this.#odd(field);
        meta.ended = value;
        return true;
    }
    if (field.startsWith(DATA)) {
      // Valid JSON no write would take again: every later write of the record (a sign-in
      // copies it) would fail, a 503 for that browser for good.
      const problem = parsedJsonProblem(value, MAX_DATA_DEPTH);
      if (problem !== null) {
        this.issue = `field ${field} ${problem}`;
        return false;
      }
      const key = field.slice(DATA.length);
      // Assignment would make a stored `d:__proto__` the prototype; it must stay plain data.
      if (key === '__proto__') setOwn(this.data, key, value as JsonValue);
      else this.data[key] = value as JsonValue;
      return true;
    }
    // A meta field this version does not know (a newer one's, or `m:__proto__`) is
    // dropped, as the schema drops unknown keys; anything else is outside the layout.
    if (field.startsWith(META)) return true;
    this.issue = `unexpected field ${field}`;
    return false;
  }

  /** The record, once every field is taken. */
  finish(): Decoded<SessionRecord> {
    const read = readMeta(this.meta);
    if (!read.ok) return read;
    const record = read.meta as SessionRecord;
    record.data = this.data;
    return { ok: true, value: record };
  }
}

/**
 * Parses and validates a session hash. Anything unexpected (a field outside `d:`/`m:`,
 * non-JSON text, a missing or mistyped meta field) makes the whole record unusable:
 * half a session is worse than none. Runs on every request: one pass, no copies.
 */
export function decodeSession(hash: StoredHash): Decoded<SessionRecord> {
  const reader = new RecordReader();
  if (Array.isArray(hash)) {
    if (hash.length % 2 !== 0) return { ok: false, issue: 'reply is not field/value pairs' };
    for (let i = 0; i < hash.length; i += 2) {
      if (!reader.take(hash[i], hash[i + 1])) return { ok: false, issue: reader.issue! };
    }
  } else {
    const fields = hash as Readonly<Record<string, string>>;
    for (const field of Object.keys(fields)) {
      if (!reader.take(field, fields[field])) return { ok: false, issue: reader.issue! };
    }
  }
  return reader.finish();
}
