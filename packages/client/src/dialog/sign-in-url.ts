/**
 * `value` if it is an `http:`/`https:` URL or one relative to the page; anything else is
 * refused with a message naming `name`, since following a `javascript:` link runs it, and
 * a malformed URL would otherwise throw only when the dialog first opens. The resolved
 * protocol is checked rather than the text, because the URL parser ignores case, leading
 * spaces and tabs (`" Java\tScript:"` is `javascript:`). Resolved against the base URL, as
 * the link will be: a srcdoc or about:blank frame's location.href is no base.
 */
export const checkSignInUrl = (value: unknown, name: string): string => {
  try {
    if (typeof value === 'string' && /^https?:$/.test(new URL(value, document.baseURI).protocol)) {
      return value;
    }
  } catch {
    // Not a URL at all: refused below like any other scheme.
  }
  throw new TypeError(
    `Lifeline: ${name} must be an http(s) or relative URL (got ${typeof value === 'string' ? `"${value}"` : typeof value})`,
  );
};
