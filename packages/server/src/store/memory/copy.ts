/**
 * A deep copy for the JSON-shaped values a store holds (records, patches, markers).
 *
 * Faster than `structuredClone` for the small objects of a session read, which matters
 * because the memory store copies on every `get`: the copy is what keeps a caller from
 * changing stored state by mutating what it holds. An object is copied with a spread (V8's
 * fast clone path; own enumerable keys, each defined as data, so `__proto__` is copied as a
 * key, never as a prototype), then only its values that are objects are copied deeper: a
 * record is mostly numbers and strings.
 */
export function copyJson<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copyJson) as T;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const key of Object.keys(out)) {
    const v = out[key];
    if (v !== null && typeof v === 'object') out[key] = copyJson(v);
  }
  return out as T;
}
