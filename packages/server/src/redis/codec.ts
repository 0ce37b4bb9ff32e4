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
  const data: { [key: string]: JsonValue } = {};
  for (const field of Object.keys(hash)) {
    const isMeta = field.startsWith(META);
    if (!isMeta && !field.startsWith(DATA))
      return { ok: false, issue: `unexpected field ${field}` };
    let value: unknown;
    try {
      value = parseStoredJson(hash[field]!);
    } catch {
      return { ok: false, issue: `field ${field} is not JSON` };
    }
    const name = field.slice(2);
    if (isMeta) meta[name] = value;
    // Assignment would make a stored `d:__proto__` the prototype; it must stay plain data.
    else if (name === '__proto__') setOwn(data, name, value as JsonValue);
    else data[name] = value as JsonValue;
  }
  const read = readMeta(meta);
  if (!read.ok) return read;
  const record = read.meta as SessionRecord;
  record.data = data;
  return { ok: true, value: record };
}
