/**
 * How deep a user's public claims may nest (objects and arrays, the claims object itself
 * counting as one): more than any claim set needs, far less than `JSON.stringify`
 * survives. `JSON.parse` takes text nested thousands deep that the status route could then
 * not serialise (a 500), so a store's record with deeper claims reads as corrupt, and
 * `regenerate()` refuses them where the app gives them.
 */
export const MAX_CLAIMS_DEPTH = 32;

/**
 * Whether `value` nests objects or arrays more than `max` levels deep (a primitive is 0,
 * `{}` is 1). Iterative, so asking about any depth is safe.
 *
 * @example
 * nestsDeeperThan({ a: [1] }, 1); // true: two levels
 */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const pending: Array<{ node: object; depth: number }> = [{ node: value, depth: 1 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (next.depth > max) return true;
    for (const child of Object.values(next.node)) {
      if (typeof child === 'object' && child !== null) {
        pending.push({ node: child, depth: next.depth + 1 });
      }
    }
  }
  return false;
}

/**
 * How deep a session data value may nest. `JSON.parse` reads text nested thousands deep,
 * but copying or serialising it again (`structuredClone`, `JSON.stringify`) overflows the
 * stack somewhere past 2,000 levels, depending on how deep the caller already is: so
 * `session.set()` refuses a deeper value, and a store's record holding one reads as corrupt.
 */
export const MAX_DATA_DEPTH = 1000;
