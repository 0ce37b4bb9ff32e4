/** Bytes drawn from the CSPRNG at a time: 128 session tokens. */
const POOL_BYTES = 4096;

const pool = new Uint8Array(POOL_BYTES);
let taken = POOL_BYTES;

/**
 * `length` bytes (at most 4096) from the platform's CSPRNG, as a new array.
 *
 * Drawn from a pool filled 4 KB at a time: under load one `getRandomValues` call per token
 * cost more CPU than the rest of creating a session's token (docs/benchmarks.md), as Node's
 * own `randomUUID()` found, which pools the same way. Bytes are zeroed in the pool as they
 * are handed out, so it only ever holds bytes no token has used yet.
 */
export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  if (taken + length > POOL_BYTES) {
    crypto.getRandomValues(pool);
    taken = 0;
  }
  const bytes = pool.slice(taken, taken + length);
  pool.fill(0, taken, taken + length);
  taken += length;
  return bytes;
}
