import type { PublicUser } from '@lifeline/server';

/** The one demo account. A real app would look users up in its database. */
const DEMO = { id: 'demo', username: 'demo', password: 'demo', name: 'Demo User' } as const;

/** Public claims of a user, or `null` for an unknown or disabled account. */
export function findUser(userId: string): NonNullable<PublicUser> | null {
  return userId === DEMO.id ? { username: DEMO.username, name: DEMO.name } : null;
}

/**
 * Checks a username and password in constant time: both are hashed and compared in full,
 * so the response time says nothing about which part was wrong or how much matched.
 * Returns the user id, or `null`.
 *
 * @example
 * const userId = await verifyPassword('demo', 'demo'); // 'demo'
 */
export async function verifyPassword(username: string, password: string): Promise<string | null> {
  const [userOk, passwordOk] = await Promise.all([
    sameDigest(username, DEMO.username),
    sameDigest(password, DEMO.password),
  ]);
  return userOk && passwordOk ? DEMO.id : null;
}

async function sameDigest(given: string, expected: string): Promise<boolean> {
  const encode = (s: string) => crypto.subtle.digest('SHA-256', new TextEncoder().encode(s));
  const [a, b] = await Promise.all([encode(given), encode(expected)]);
  const x = new Uint8Array(a);
  const y = new Uint8Array(b);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}
