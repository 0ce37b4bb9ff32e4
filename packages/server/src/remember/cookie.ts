import type { Context } from 'hono';
import { readSessionCookie } from '../cookie/parse.js';
import {
  type CookieAttributes,
  serializeClearCookie,
  serializeSessionCookie,
} from '../cookie/serialize.js';

/** How the remember-me cookie is named and flagged for one request. */
export function rememberCookieAttributes(
  c: Context,
  baseName: string,
  secure: boolean | undefined,
  trustProxy: boolean,
): CookieAttributes {
  const isSecure = secure ?? isHttps(c, trustProxy);
  // `__Host-` pins the cookie to this host, Path=/ and Secure: no subdomain can plant one.
  return { name: isSecure ? `__Host-${baseName}` : baseName, secure: isSecure, sameSite: 'Lax' };
}

// The same rule as session(): the URL, or the client-facing proxy's first hop if trusted.
function isHttps(c: Context, trustProxy: boolean): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  if (!trustProxy) return false;
  const proto = c.req.header('X-Forwarded-Proto')?.split(',')[0]?.trim().toLowerCase();
  return proto === 'https';
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
  const others = c.res.headers.getSetCookie().filter((l) => cookieName(l) !== attrs.name);
  c.header('Set-Cookie', undefined);
  for (const other of others) c.header('Set-Cookie', other, { append: true });
  c.header('Set-Cookie', line, { append: true });
}

function cookieName(line: string): string {
  const eq = line.indexOf('=');
  return (eq === -1 ? line : line.slice(0, eq)).trim();
}
