/**
 * Unpadded base64url (RFC 4648 §5) for byte strings, on Web standards only: `btoa`/`atob`
 * exist on Node, Bun, Deno and Workers, `Buffer` does not.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The alphabet's character codes, by 6-bit value. */
const CODES = Array.from(ALPHABET, (ch) => ch.charCodeAt(0));
/** Character codes per `String.fromCharCode` call: far below any engine's argument limit. */
const CHUNK = 8192;

/**
 * Encodes bytes as unpadded base64url. A table walk rather than `btoa` plus three regex
 * replacements: it runs twice on every request (sid and token hash). It collects character
 * codes and makes the string in one `String.fromCharCode` call, which costs less than
 * appending four characters at a time.
 */
export function encodeBase64url(bytes: Uint8Array): string {
  const codes = new Array<number>(Math.ceil((bytes.length * 4) / 3));
  let o = 0;
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    codes[o++] = CODES[n >> 18]!;
    codes[o++] = CODES[(n >> 12) & 63]!;
    codes[o++] = CODES[(n >> 6) & 63]!;
    codes[o++] = CODES[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const n = (bytes[i]! << 16) | (rest === 2 ? bytes[i + 1]! << 8 : 0);
    codes[o++] = CODES[n >> 18]!;
    codes[o++] = CODES[(n >> 12) & 63]!;
    if (rest === 2) codes[o++] = CODES[(n >> 6) & 63]!;
  }
  if (codes.length <= CHUNK) return String.fromCharCode.apply(null, codes);
  let out = '';
  for (let at = 0; at < codes.length; at += CHUNK) {
    out += String.fromCharCode.apply(null, codes.slice(at, at + CHUNK));
  }
  return out;
}

// Character code -> 6-bit value, -1 outside the alphabet.
const DECODE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

function sextet(text: string, i: number): number {
  const code = text.charCodeAt(i);
  const value = code < 128 ? DECODE[code]! : -1;
  if (value < 0) throw new TypeError(`not base64url at ${i}`);
  return value;
}

/**
 * Decodes unpadded base64url, as a table walk (it runs on every request). Callers validate
 * the alphabet first (the cookie parser does), so a bad character here is a programming
 * error and throws.
 */
export function decodeBase64url(text: string): Uint8Array<ArrayBuffer> {
  if (text.length % 4 === 1) throw new TypeError('not base64url: impossible length');
  const bytes = new Uint8Array(Math.floor((text.length * 6) / 8));
  let o = 0;
  let i = 0;
  for (; i + 3 < text.length; i += 4) {
    const n =
      (sextet(text, i) << 18) |
      (sextet(text, i + 1) << 12) |
      (sextet(text, i + 2) << 6) |
      sextet(text, i + 3);
    bytes[o++] = n >> 16;
    bytes[o++] = (n >> 8) & 255;
    bytes[o++] = n & 255;
  }
  const rest = text.length - i;
  if (rest > 0) {
    const n =
      (sextet(text, i) << 18) |
      (sextet(text, i + 1) << 12) |
      (rest === 3 ? sextet(text, i + 2) << 6 : 0);
    bytes[o++] = n >> 16;
    if (rest === 3) bytes[o++] = (n >> 8) & 255;
  }
  return bytes;
}

/**
 * Whether `text` is the one canonical encoding of its bytes: the bits its last character
 * carries beyond the last whole byte must be zero, or two strings decode to one value.
 */
export function isCanonicalBase64url(text: string): boolean {
  const spare = (text.length * 6) % 8;
  return spare === 0 || (sextet(text, text.length - 1) & ((1 << spare) - 1)) === 0;
}

/**
 * Compares two strings in time that depends only on their length, so a hash comparison
 * leaks nothing about how many leading characters matched.
 */
export function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
