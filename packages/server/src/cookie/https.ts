import type { Context } from 'hono';
import type { CookieAttributes } from './serialize.js';

/**
 * Whether the request reached the app over HTTPS: its URL says so, or a trusted proxy's
 * `X-Forwarded-Proto` does. The first value is the client-facing hop; a proxy that ends
 * TLS must overwrite the header, not append to what the client sent (docs/server.md).
 */
export function isHttpsRequest(c: Context, trustProxy: boolean): boolean {
  // The request URL is absolute; a prefix test avoids parsing it on every request.
  if (c.req.url.startsWith('https:')) return true;
  return trustProxy && forwardedProto(c) === 'https';
}

/** The client-facing scheme a proxy forwarded (first `X-Forwarded-Proto` value), lower case. */
export function forwardedProto(c: Context): string | undefined {
  return c.req.header('X-Forwarded-Proto')?.split(',')[0]?.trim().toLowerCase();
}

// What session() decided for a request, as flags: cookies other code sets for it
// (remember-me) must be at least as strict as the session cookie and go where it goes
// (its SameSite), and the CSRF guard on its routes must read the proxy's scheme when
// session() trusts the proxy.
const SECURE_COOKIE = 1;
const TRUSTS_PROXY = 2;
const STRICT_COOKIE = 4;
const CROSS_SITE_COOKIE = 8;
const sessionDecisions = new WeakMap<Context, number>();

/** How `session()` treated a request: its cookie's `Secure` and `SameSite`, its proxy trust. */
export interface SessionDecision {
  secureCookie: boolean;
  sameSite: CookieAttributes['sameSite'];
  trustProxy: boolean;
}

/** Notes how `session()` treated this request (nothing is stored for plain HTTP, Lax, no proxy). */
export function noteSessionRequest(c: Context, decision: SessionDecision): void {
  const flags =
    (decision.secureCookie ? SECURE_COOKIE : 0) |
    (decision.trustProxy ? TRUSTS_PROXY : 0) |
    (decision.sameSite === 'Strict' ? STRICT_COOKIE : 0) |
    (decision.sameSite === 'None' ? CROSS_SITE_COOKIE : 0);
  if (flags !== 0) sessionDecisions.set(c, flags);
}

/** Whether `session()` gave this request's session cookie `Secure` and `__Host-`. */
export function sessionCookieIsSecure(c: Context): boolean {
  return ((sessionDecisions.get(c) ?? 0) & SECURE_COOKIE) !== 0;
}

/** The `SameSite` of this request's session cookie: `Lax` (the default) without `session()`. */
export function sessionCookieSameSite(c: Context): CookieAttributes['sameSite'] {
  const flags = sessionDecisions.get(c) ?? 0;
  if ((flags & CROSS_SITE_COOKIE) !== 0) return 'None';
  return (flags & STRICT_COOKIE) !== 0 ? 'Strict' : 'Lax';
}

/** Whether the `session()` this request passed through trusts `X-Forwarded-Proto`. */
export function sessionTrustsProxy(c: Context): boolean {
  return ((sessionDecisions.get(c) ?? 0) & TRUSTS_PROXY) !== 0;
}
