import type { Context } from 'hono';
import { isHttpsRequest, sessionCookieIsSecure, sessionCookieSameSite } from '../cookie/https.js';
import { readSessionCookie } from '../cookie/parse.js';
import { setCookieName } from '../cookie/replace.js';
import {
  type CookieAttributes,
  serializeClearCookie,
  serializeSessionCookie,
} from '../cookie/serialize.js';

/**
 * How the remember-me cookie is named and flagged for one request: `Secure` and `__Host-`
 * when forced, when `session()` gave the session cookie them, or on HTTPS.
 *
 * `SameSite` follows the session cookie's (`Lax` by default), so the two travel together:
 * a request that brings the session brings the credential, and a sign-out or a sign-in as
 * someone else sees (and forgets) the cookie wherever it could have used it. `None` (an
 * app embedded in another site's frame) needs `Secure`: a remember cookie forced plain
 * (`secure: false`) stays `Lax`, as browsers refuse `None` without it.
 */
export function rememberCookieAttributes(
  c: Context,
  baseName: string,
  secure: boolean | undefined,
  trustProxy: boolean,
): CookieAttributes {
  const isSecure = secure ?? (sessionCookieIsSecure(c) || isHttpsRequest(c, trustProxy));
  const followed = sessionCookieSameSite(c);
  const sameSite = followed === 'None' && !isSecure ? 'Lax' : followed;
  // `__Host-` pins the cookie to this host, Path=/ and Secure: no subdomain can plant one.
  return { name: isSecure ? `__Host-${baseName}` : baseName, secure: isSecure, sameSite };
}

/** The cookie's value when the request carries exactly one well-formed one, else `null`. */
export function readRememberCookie(c: Context, attrs: CookieAttributes): string | null {
  const reading = readSessionCookie(c.req.header('Cookie'), attrs.name);
  return reading.kind === 'token' ? reading.value : null;
}

/** Whether the request sends any cookie of that name, well-formed or not. */
export function hasRememberCookie(c: Context, attrs: CookieAttributes): boolean {
  return readSessionCookie(c.req.header('Cookie'), attrs.name).kind !== 'absent';
}

/**
 * The cookie as this response leaves it: `true` when the response sets it, `false` when it
 * clears it, `null` when the response does not touch it (the request's cookie stands).
 */
export function respondedRememberCookie(c: Context, attrs: CookieAttributes): boolean | null {
  const line = c.res.headers.getSetCookie().findLast((l) => setCookieName(l) === attrs.name);
  return line === undefined ? null : !/;\s*Max-Age=0(;|$)/i.test(line);
}

/** Sets the cookie (`value`, good for `remainingMs`) or clears it (`value === null`). */
export function writeRememberCookie(
  c: Context,
  attrs: CookieAttributes,
  value: string | null,
  remainingMs = 0,
): void {
  const line =
    value === null
      ? serializeClearCookie(attrs)
      : serializeSessionCookie(attrs, value, remainingMs);
  // Replace, never append: issuing after a forget (or a second rotation) in one request
  // must still leave exactly one Set-Cookie for this name.
  const others = c.res.headers.getSetCookie().filter((l) => setCookieName(l) !== attrs.name);
  c.header('Set-Cookie', undefined);
  for (const other of others) c.header('Set-Cookie', other, { append: true });
  c.header('Set-Cookie', line, { append: true });
}
