/** Attributes of the session cookie, identical for setting and clearing. */
export interface CookieAttributes {
  /** Full cookie name, `__Host-` prefix included when secure. */
  name: string;
  secure: boolean;
  sameSite: 'Lax' | 'Strict' | 'None';
}

/** RFC 6265bis caps `Max-Age` at 400 days; browsers clamp larger values anyway. */
export const MAX_COOKIE_AGE_S = 400 * 24 * 60 * 60;

function attributes(attrs: CookieAttributes, maxAge: number): string {
  const parts = ['Path=/', `Max-Age=${maxAge}`, 'HttpOnly', `SameSite=${attrs.sameSite}`];
  if (attrs.secure) parts.push('Secure');
  // Never a Domain: `__Host-` forbids it, and without one the cookie stays host-only.
  return parts.join('; ');
}

/**
 * The `Set-Cookie` value that stores `token` until `expiresAt` (epoch ms).
 *
 * @example
 * serializeSessionCookie(attrs, token.value, expiresAt - now);
 */
export function serializeSessionCookie(
  attrs: CookieAttributes,
  value: string,
  remainingMs: number,
): string {
  const maxAge = Math.min(MAX_COOKIE_AGE_S, Math.max(1, Math.floor(remainingMs / 1000)));
  return `${attrs.name}=${value}; ${attributes(attrs, maxAge)}`;
}

/** The `Set-Cookie` value that deletes the cookie: same name and attributes, `Max-Age=0`. */
export function serializeClearCookie(attrs: CookieAttributes): string {
  return `${attrs.name}=; ${attributes(attrs, 0)}`;
}
