/**
 * Makes the lines `ours` the only `Set-Cookie` among the cookies called `names` on the
 * response (the session cookie and its renewal receipt, under their plain and `__Host-`
 * names). Hono's `setCookie` appends, so a handler (or a second middleware pass) could
 * otherwise leave two cookies of one name with different values, and the browser would
 * keep whichever came last. An empty `ours` strips foreign ones without adding any: the
 * middleware owns these cookies.
 *
 * Returns the response to use: the same one, or a copy when its headers were immutable
 * (a `Response` from `fetch()`).
 *
 * @example
 * c.res = replaceSessionCookie(c.res, ['lifeline', '__Host-lifeline'], ['lifeline=…; Path=/; …']);
 */
export function replaceSessionCookie(
  res: Response,
  names: readonly string[],
  ours: readonly string[],
): Response {
  const all = res.headers.getSetCookie();
  if (all.length === 0 && ours.length === 0) return res; // the usual case: nothing to do
  const others = all.filter((line) => !names.includes(setCookieName(line)));
  if (others.length === all.length && ours.length === 0) return res;
  const target = writable(res);
  target.headers.delete('Set-Cookie');
  for (const line of [...others, ...ours]) target.headers.append('Set-Cookie', line);
  return target;
}

/** The cookie name a `Set-Cookie` line sets. */
export function setCookieName(line: string): string {
  const eq = line.indexOf('=');
  return (eq === -1 ? line : line.slice(0, eq)).trim();
}

/** The response itself if its headers can change, else a copy that can. */
export function writable(res: Response): Response {
  try {
    // Deleting an absent header changes nothing but throws on immutable headers.
    res.headers.delete('X-Lifeline-Probe');
    return res;
  } catch {
    return new Response(res.body, res);
  }
}
