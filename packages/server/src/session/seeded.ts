import type { SessionRecord } from '../store/types.js';
import { type SessionToken, tokenFromBytes } from '../token/token.js';
import type { Runtime } from './runtime.js';

const SESSION_INFO = new TextEncoder().encode('lifeline/reauth-session/v1');

/** The smallest `sessionSeed` a re-auth proof may carry, in bytes. */
export const MIN_SEED_BYTES = 32;

/** HKDF-SHA-256: 32 bytes from `ikm`, bound to `salt` and `info`. */
export async function hkdf(
  ikm: Uint8Array<ArrayBuffer>,
  salt: string,
  info: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  const key = await crypto.subtle.importKey('raw', ikm, 'HKDF', false, ['deriveBits']);
  const params = { name: 'HKDF', hash: 'SHA-256', salt: new TextEncoder().encode(salt), info };
  return new Uint8Array(await crypto.subtle.deriveBits(params, key, 256));
}

/**
 * The token of the session a re-auth creates from its proof's `sessionSeed`: the same for
 * every parallel re-auth with one remember-me credential, so they all name one session.
 * Bound to the user, and never equal to the seed or to any cookie it came from.
 */
export async function seededToken(seed: Uint8Array, userId: string): Promise<SessionToken> {
  const bytes = await hkdf(new Uint8Array(seed), userId, SESSION_INFO);
  return tokenFromBytes(bytes)!;
}

/** A session created, or joined, by `regenerate()`. */
export interface NewSession {
  sid: string;
  token: SessionToken;
  record: SessionRecord;
  /** A parallel re-auth with the same seed created it: this request sends the same cookie. */
  joined: boolean;
}

/**
 * Creates the seeded session, or joins it when a parallel re-auth with the same seed got
 * there first: the record must then still be live, on that very token, and the user's.
 * `null` when it is neither (it ended or rotated meanwhile): the caller draws a random
 * token, as for any other sign-in.
 */
export async function createOrJoin(
  rt: Runtime,
  token: SessionToken,
  build: (tokenHash: string) => SessionRecord,
  userId: string,
  now: number,
): Promise<NewSession | null> {
  const sid = rt.hasher.sid(token);
  const tokenHash = rt.hasher.tokenHash(token);
  const record = build(tokenHash);
  if (await rt.store.create(sid, record, record.absoluteExpiresAt + rt.options.idleTimeout)) {
    return { sid, token, record, joined: false };
  }
  const found = await rt.store.get(sid);
  const joinable =
    found !== null &&
    found.ended === null &&
    found.userId === userId &&
    now < found.idleExpiresAt &&
    now < found.absoluteExpiresAt &&
    rt.hasher.equal(found.tokenHash, tokenHash);
  return joinable ? { sid, token, record: found, joined: true } : null;
}
