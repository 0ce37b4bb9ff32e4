import { TOKEN_LENGTH } from '../token/token.js';

/** Why a presented cookie was refused before reaching the store. */
export type MalformedReason = 'duplicate' | 'malformed';

/** What the request's `Cookie` header says about our cookie. */
export type CookieReading =
  | { kind: 'absent' }
  | { kind: 'malformed'; reason: MalformedReason }
  | { kind: 'token'; value: string };

const TOKEN_PATTERN = new RegExp(`^[A-Za-z0-9_-]{${TOKEN_LENGTH}}$`);
/** The renewal receipt's value: a token, then one to four bindings (a dot, a sid's start). */
export const RECEIPT_PATTERN = new RegExp(
  `^[A-Za-z0-9_-]{${TOKEN_LENGTH}}(?:\\.[A-Za-z0-9_-]{22}){1,4}$`,
);

/**
 * Reads our session cookie from a raw `Cookie` header, strictly: exactly one cookie of
 * that name whose value is exactly 43 base64url characters. Anything else (duplicates,
 * quotes, control characters, wrong length or alphabet) is `malformed`, which the
 * middleware treats like an unknown ID. We parse ourselves rather than with a generic
 * cookie parser because those pick one of several duplicates and decode `%xx` escapes,
 * both of which would let two different headers name the same token.
 *
 * @example
 * readSessionCookie('theme=dark; lifeline=AAAA…', 'lifeline');
 */
export function readSessionCookie(
  header: string | null | undefined,
  name: string,
  pattern: RegExp = TOKEN_PATTERN,
): CookieReading {
  // No length cap of our own: the runtime bounds the header (Node 16 KB by default,
  // Workers 128 KB). A site that sets many cookies can get more than 16 KB of them from a
  // browser, and a cap here signed those visitors out. The scan is linear, and it finds
  // each pair's bounds by index: only our cookie's value becomes a string of its own.
  if (!header) return ABSENT;
  let found: string | null = null;
  // The first `=` at or after the pair's start, kept across pairs: searched afresh for each
  // pair, a header of `;` without `=` was scanned to its end once per pair (quadratic).
  let nextEq = -1;
  for (let start = 0; start <= header.length; ) {
    let end = header.indexOf(';', start);
    if (end === -1) end = header.length;
    if (nextEq < start) {
      nextEq = header.indexOf('=', start);
      if (nextEq === -1) nextEq = header.length;
    }
    const eq = Math.min(nextEq, end);
    if (isName(header, start, eq, name)) {
      if (found !== null) return DUPLICATE;
      found = eq === end ? '' : trimOws(header.slice(eq + 1, end));
    }
    start = end + 1;
  }
  if (found === null) return ABSENT;
  if (!pattern.test(found)) return MALFORMED;
  return { kind: 'token', value: found };
}

const ABSENT: CookieReading = Object.freeze({ kind: 'absent' });
const DUPLICATE: CookieReading = Object.freeze({ kind: 'malformed', reason: 'duplicate' });
const MALFORMED: CookieReading = Object.freeze({ kind: 'malformed', reason: 'malformed' });

/** Whether `header[from, to)`, without the optional whitespace around it, is `name`. */
function isName(header: string, from: number, to: number, name: string): boolean {
  let start = from;
  let end = to;
  while (start < end && isOws(header.charCodeAt(start))) start++;
  while (end > start && isOws(header.charCodeAt(end - 1))) end--;
  return end - start === name.length && header.startsWith(name, start);
}

/**
 * Strips the optional whitespace RFC 6265 allows around names and values: spaces and tabs
 * only. `String.trim()` would also strip non-ASCII spaces (U+00A0, U+FEFF), letting a value
 * no browser sends pass as a token.
 */
function trimOws(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isOws(text.charCodeAt(start))) start++;
  while (end > start && isOws(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

const isOws = (code: number) => code === 0x20 || code === 0x09;
