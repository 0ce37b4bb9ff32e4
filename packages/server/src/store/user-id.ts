/**
 * Refuses a `userId` that is not a non-empty string, naming `where`. A number (an id read
 * from a database) would be stored under a key that `revokeUser('42')` never finds, or fail
 * the Redis key encoding as a fake outage (503): the app must hear of it at the call.
 */
export function checkUserId(where: string, userId: unknown, orNull = false): void {
  if (typeof userId !== 'string' || userId === '') {
    throw new TypeError(
      `${where}: \`userId\` must be a non-empty string${orNull ? ' or null' : ''}`,
    );
  }
}
