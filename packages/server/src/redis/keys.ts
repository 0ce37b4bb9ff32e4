/**
 * The Redis key layout of one store. Every key of a session (or credential) carries its
 * id as a Redis Cluster hash tag, so a script that touches it runs on one slot. The
 * per-user indexes are tagged by user instead and therefore live in another slot: they
 * are always written by separate commands in cluster mode (see docs/redis.md).
 */
export interface Keyspace {
  /** The session HASH: `d:<key>` data fields and `m:<name>` meta fields, JSON each. */
  session(sid: string): string;
  /** The sealed successor of the session's predecessor (a string), expiring with its window. */
  sessionSealed(sid: string): string;
  /** The remember-me credential HASH. */
  credential(id: string): string;
  /** A credential's predecessor (JSON, sealed successor included), expiring at its `until`. */
  credentialPrevious(id: string): string;
  /** ZSET of a user's session ids, scored by creation time. */
  userSessions(userId: string): string;
  /** ZSET of a user's credential ids, scored by creation time. */
  userCredentials(userId: string): string;
}

/**
 * Builds the key layout under `prefix`. User ids are URI-encoded, so an id containing
 * `{`, `}` or `:` can neither break the hash tag nor collide with another key.
 *
 * @example
 * keyspace('lifeline:').session('abc'); // 'lifeline:s:{abc}'
 */
export function keyspace(prefix: string): Keyspace {
  const user = (userId: string) => `${prefix}u:{${encodeUserId(userId)}}`;
  return {
    session: (sid) => `${prefix}s:{${sid}}`,
    sessionSealed: (sid) => `${prefix}s:{${sid}}:sealed`,
    credential: (id) => `${prefix}c:{${id}}`,
    credentialPrevious: (id) => `${prefix}c:{${id}}:previous`,
    userSessions: (userId) => `${user(userId)}:s`,
    userCredentials: (userId) => `${user(userId)}:c`,
  };
}

/**
 * `encodeURIComponent`, which throws on a lone UTF-16 surrogate (an id JSON and the memory
 * store take as it is): each one becomes `%u` and its 4 hex digits, which the encoding of
 * any other text cannot produce (a `%` in the id itself becomes `%25`).
 */
function encodeUserId(userId: string): string {
  return userId.replace(/\p{Surrogate}|\P{Surrogate}+/gu, (part) =>
    /^\p{Surrogate}$/u.test(part)
      ? `%u${part.charCodeAt(0).toString(16).padStart(4, '0')}`
      : encodeURIComponent(part),
  );
}
