import { MAX_CLAIMS_DEPTH } from './depth.js';
import { jsonDataProblem } from './json-data.js';
import type { PublicUser } from './schemas.js';

/**
 * Throws a `TypeError` naming `what` unless `user` is claims a status body can carry: a
 * plain object of JSON data nesting at most `MAX_CLAIMS_DEPTH` levels. Stored otherwise,
 * every later status of the session would fail (a 500), or the Redis store's write would
 * (a 503 that reads as an outage).
 */
export function checkClaims(what: string, user: unknown): asserts user is NonNullable<PublicUser> {
  if (typeof user !== 'object' || user === null || Array.isArray(user)) {
    throw new TypeError(`${what} must be an object of JSON claims or null`);
  }
  const problem = jsonDataProblem(user, MAX_CLAIMS_DEPTH);
  if (problem !== null) throw new TypeError(`${what} ${problem}`);
}
