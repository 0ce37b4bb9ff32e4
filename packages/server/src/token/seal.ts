import { decodeBase64url, encodeBase64url } from './base64url.js';
import { type SessionToken, tokenFromBytes } from './token.js';

const INFO = new TextEncoder().encode('lifeline/sealed-successor/v1');
const IV_BYTES = 12;
const SEALED_PATTERN = /^[A-Za-z0-9_-]{1,200}$/;

/**
 * AES-GCM key derived (HKDF-SHA-256) from the predecessor token: only a request that
 * presents the predecessor can open its successor, so the store holds nothing usable.
 */
async function keyFor(predecessor: SessionToken, sid: string): Promise<CryptoKey> {
  const ikm = await crypto.subtle.importKey('raw', predecessor.bytes, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new TextEncoder().encode(sid), info: INFO },
    ikm,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/**
 * Seals the successor of a rotation for requests still carrying the predecessor.
 * Output: base64url(iv ‖ ciphertext ‖ tag).
 *
 * @example
 * const sealed = await sealSuccessor(current, next, sid);
 */
export async function sealSuccessor(
  predecessor: SessionToken,
  successor: SessionToken,
  sid: string,
): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const key = await keyFor(predecessor, sid);
  const cipher = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, successor.bytes);
  const out = new Uint8Array(IV_BYTES + cipher.byteLength);
  out.set(iv, 0);
  out.set(new Uint8Array(cipher), IV_BYTES);
  return encodeBase64url(out);
}

/**
 * Opens a sealed successor with the predecessor token. Returns `null` for anything that
 * does not authenticate (wrong token, tampered or garbage store contents), never throws.
 */
export async function unsealSuccessor(
  predecessor: SessionToken,
  sealed: string,
  sid: string,
): Promise<SessionToken | null> {
  if (!SEALED_PATTERN.test(sealed)) return null;
  try {
    const bytes = decodeBase64url(sealed);
    if (bytes.length <= IV_BYTES) return null;
    const key = await keyFor(predecessor, sid);
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: bytes.subarray(0, IV_BYTES) },
      key,
      bytes.subarray(IV_BYTES),
    );
    return tokenFromBytes(new Uint8Array(plain));
  } catch {
    return null;
  }
}
