/**
 * A `returnTo` the sign-in may go back to: a path on this origin only. Anything that a
 * browser could read as another origin (`//host`, `/\host`, a scheme) or that carries
 * control characters is refused, so `returnTo` cannot become an open redirect.
 *
 * @example
 * safeReturnTo('/orders/42?step=2'); // '/orders/42?step=2'
 * safeReturnTo('//evil.example');    // null
 */
export function safeReturnTo(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 2048 || !value.startsWith('/')) return null;
  // Browsers treat `\` like `/` in http(s) URLs, so `/\host` is `//host`.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
  return /^\/[/\\]|[\\\u0000-\u001f\u007f]/.test(value) ? null : value;
}

/**
 * What the sign-in form says when a sign-in link (one with `returnTo`) opened it over a
 * live session: the absolute warning sent the person to sign in again.
 */
export const SIGN_IN_AGAIN_NOTE =
  'Your session is close to its maximum length. Sign in again to keep working; this page comes back afterwards.';
