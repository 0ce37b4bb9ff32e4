import { decodeBase64url, encodeBase64url, isCanonicalBase64url } from './base64url.js';
import { randomBytes } from './random.js';

/** Bytes in a session token: 16 of family, 16 of secret. */
export const TOKEN_BYTES = 32;
/** Length of a token in base64url: 32 bytes, unpadded. */
export const TOKEN_LENGTH = 43;
const FAMILY_BYTES = 16;

/**
 * A session cookie token (see docs/design-decisions.md): bytes 0-15 are the session's
 * family (stable across periodic rotations), bytes 16-31 its secret.
 */
export interface SessionToken {
  /** The cookie value, 43 base64url characters. Never logged, never stored. */
  readonly value: string;
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly family: Uint8Array<ArrayBuffer>;
}

/**
 * The family bytes as a copy. Not a view (`subarray`, or `new Uint8Array(bytes.buffer…)`):
 * V8 keeps a typed array this small inside its own object, and any view over it first
 * moves its bytes out to a separate buffer, about 1 µs on every request; a 16-byte copy
 * costs a few dozen nanoseconds.
 */
function familyOf(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  return bytes.slice(0, FAMILY_BYTES);
}

function fromBytes(bytes: Uint8Array<ArrayBuffer>): SessionToken {
  return { value: encodeBase64url(bytes), bytes, family: familyOf(bytes) };
}

/** A wholly new token: 32 bytes from the CSPRNG (new session, `regenerate()`). */
export function generateToken(): SessionToken {
  return fromBytes(randomBytes(TOKEN_BYTES));
}

/** The successor of a periodic rotation: the same family, a fresh secret. */
export function rotateToken(token: SessionToken): SessionToken {
  const bytes = new Uint8Array(TOKEN_BYTES);
  bytes.set(token.family, 0);
  bytes.set(randomBytes(TOKEN_BYTES - FAMILY_BYTES), FAMILY_BYTES);
  return fromBytes(bytes);
}

/**
 * Rebuilds a token from a cookie value the parser already validated (43 base64url chars).
 * Returns `null` if it does not decode to exactly 32 bytes, which a non-canonical last
 * character could cause.
 */
export function tokenFromValue(value: string): SessionToken | null {
  const bytes = decodeBase64url(value);
  // Reject non-canonical encodings: two cookie strings must never name one token.
  if (bytes.length !== TOKEN_BYTES || !isCanonicalBase64url(value)) return null;
  return { value, bytes, family: familyOf(bytes) };
}

/** Rebuilds a token from raw bytes (an unsealed successor). */
export function tokenFromBytes(bytes: Uint8Array): SessionToken | null {
  return bytes.length === TOKEN_BYTES ? fromBytes(new Uint8Array(bytes)) : null;
}
