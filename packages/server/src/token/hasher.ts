import { encodeBase64url, timingSafeEqual } from './base64url.js';
import type { SessionToken } from './token.js';

/** Derives the store's keys from a token; never returns anything usable as a cookie. */
export interface TokenHasher {
  /** `sid`: base64url of SHA-256 (or HMAC-SHA-256) of the token's family. */
  sid(token: SessionToken): Promise<string>;
  /** `tokenHash`: base64url of SHA-256 (or HMAC-SHA-256) of the whole token. */
  tokenHash(token: SessionToken): Promise<string>;
  /** Constant-time comparison of two hashes. */
  equal(a: string, b: string): boolean;
}

/**
 * A hasher keyed by `secret` (HMAC-SHA-256) when one is given, else plain SHA-256.
 * With a secret, a leaked store cannot even be checked against guessed tokens offline.
 *
 * @example
 * const hasher = createHasher();
 * const sid = await hasher.sid(generateToken());
 */
export function createHasher(secret?: string): TokenHasher {
  const key = secret
    ? crypto.subtle.importKey(
        'raw',
        new TextEncoder().encode(secret),
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['sign'],
      )
    : null;
  async function digest(data: Uint8Array<ArrayBuffer>): Promise<string> {
    const buffer = key
      ? await crypto.subtle.sign('HMAC', await key, data)
      : await crypto.subtle.digest('SHA-256', data);
    return encodeBase64url(new Uint8Array(buffer));
  }
  return {
    sid: (token) => digest(token.family),
    tokenHash: (token) => digest(token.bytes),
    equal: timingSafeEqual,
  };
}
