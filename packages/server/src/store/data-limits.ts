import { MAX_DATA_DEPTH } from '../contract/depth.js';
import { jsonDataProblem } from '../contract/json-data.js';
import { hasLoneSurrogate } from '../contract/unicode.js';
import type { JsonValue, SessionPatch } from './types.js';

/**
 * Throws a `TypeError` for a data key no store can keep apart from others: one holding a
 * lone surrogate (see {@link hasLoneSurrogate}). `store` names the store in the message.
 */
export function refuseDataKey(store: string, key: string): void {
  if (hasLoneSurrogate(key)) {
    throw new TypeError(
      `${store}: data key ${JSON.stringify(key)} holds a lone surrogate (not well-formed Unicode)`,
    );
  }
}

/**
 * Throws a `TypeError` for data a store must refuse to write, as `session.set()` does: a
 * key {@link refuseDataKey} refuses, or a value that is not JSON data (see
 * `jsonDataProblem`: nested deeper than `MAX_DATA_DEPTH`, or something another store
 * would give back changed). Walks only what is being written.
 */
export function refuseData(store: string, data: { readonly [key: string]: JsonValue }): void {
  for (const [key, value] of Object.entries(data)) refuseDataValue(store, key, value);
}

/** {@link refuseData} for one key and its value. */
export function refuseDataValue(store: string, key: string, value: unknown): void {
  refuseDataKey(store, key);
  const problem = jsonDataProblem(value, MAX_DATA_DEPTH);
  if (problem !== null) {
    throw new TypeError(`${store}: data key ${JSON.stringify(key)} ${problem}`);
  }
}

/** {@link refuseData} for a patch: the keys it sets and the keys it unsets. */
export function refusePatchData(store: string, patch: SessionPatch): void {
  if (patch.set) refuseData(store, patch.set);
  // A key that cannot be stored cannot be unset either: Redis would drop its look-alike.
  for (const key of patch.unset ?? []) refuseDataKey(store, key);
}
