import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { Hash } from '@noble/hashes/utils.js';
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
  const digest = key
    ? reusedDigest(hmac.create(sha256, key), hmac.create(sha256, key), true)
    : reusedDigest(sha256.create(), sha256.create(), false);
  return {
    sid: (token) => digest(token.family),
    tokenHash: (token) => digest(token.bytes),
    equal: timingSafeEqual,
  };
}

/**
 * A digest function that reuses one hash state instead of building a hash per call: the
 * pristine state (SHA-256's initial words, or HMAC's keyed inner and outer states) is
 * copied into `work`, which costs a few words, where a fresh hash allocates buffers and
 * views and, for HMAC, hashes the key twice. Synchronous, so no call can interleave.
 *
 * SHA-256 answers through `digest()`, which copies the result out of the hash's own
 * buffer: cheaper than the `DataView` its `digestInto()` builds over any other array. HMAC
 * answers into a kept array (`keepOutput`), because it takes a `subarray` of its output,
 * and a view over a fresh small array costs far more than one over a kept array (see
 * token.ts). Either way `work`'s state and buffer are wiped (`destroy()`), so the token's
 * bytes never linger in a long-lived object.
 */
function reusedDigest<T extends Hash<T>>(
  pristine: T,
  work: T,
  keepOutput: boolean,
): (data: Uint8Array) => string {
  if (!keepOutput) {
    return (data) => {
      pristine._cloneInto(work);
      return encodeBase64url(work.update(data).digest());
    };
  }
  const out = new Uint8Array(pristine.outputLen);
  return (data) => {
    pristine._cloneInto(work);
    work.update(data).digestInto(out);
    work.destroy();
    return encodeBase64url(out);
  };
}
