import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { encodeBase64url, timingSafeEqual } from './base64url.js';
import type { SessionToken } from './token.js';

/** Derives the store's keys from a token; never returns anything usable as a cookie. */
export interface TokenHasher {
  /** `sid`: base64url of SHA-256 (or HMAC-SHA-256) of the token's family. */
  sid(token: SessionToken): string;
  /** `tokenHash`: base64url of SHA-256 (or HMAC-SHA-256) of the whole token. */
  tokenHash(token: SessionToken): string;
  /** Constant-time comparison of two hashes. */
  equal(a: string, b: string): boolean;
}

/**
 * A hasher keyed by `secret` (HMAC-SHA-256) when one is given, else plain SHA-256.
 * With a secret, a leaked store cannot even be checked against guessed tokens offline.
 *
 * Synchronous on purpose: every request hashes twice, and Web Crypto's `digest` is a
 * promise and (on Node) a thread-pool job each time, which cost more than the hash.
 * `@noble/hashes` is an audited pure-JS SHA-256 that runs on every runtime.
 *
 * @example
 * const hasher = createHasher();
 * const sid = hasher.sid(generateToken());
 */
export function createHasher(secret?: string): TokenHasher {
  const key = secret ? new TextEncoder().encode(secret) : null;
  const digest = (data: Uint8Array): string =>
    encodeBase64url(key ? hmac(sha256, key, data) : sha256(data));
  return {
    sid: (token) => digest(token.family),
    tokenHash: (token) => digest(token.bytes),
    equal: timingSafeEqual,
  };
}
