/**
 * Whether a cache may hand this response out again later without asking the server
 * (RFC 9111), so that a `Session-Deadline` on it would be replayed: one person's deadlines
 * to everyone behind a shared cache, and an old `now` to this browser's SDK.
 *
 * - A `Cache-Control` (or a CDN's own `CDN-Cache-Control`, `Surrogate-Control`, which
 *   outrank it there) lets a cache reuse the response unless it says `no-store`, an
 *   unqualified `no-cache`, or `max-age=0` with no `s-maxage` or stale allowance.
 * - Without one, `Expires` decides: a date still ahead lets it; an invalid or past one
 *   (`0`, `-1`) does not. Without either, `Last-Modified` lets a browser guess a freshness.
 * - A 304 refreshes a stored copy with its own headers, whatever that copy's freshness: it
 *   may carry the header only when it says every reuse must ask.
 */
export function reusableByCache(headers: Headers, status: number, now: number): boolean {
  let seen = false;
  for (const [name, value] of headers) {
    if (name !== 'cache-control' && !TARGETED_CACHE_CONTROL.test(name)) continue;
    seen = true;
    if (!mustAsk(directives(value))) return true;
  }
  if (seen) return false;
  if (status === 304) return true;
  const expires = headers.get('Expires');
  if (expires !== null) return Date.parse(expires) > now;
  return headers.has('Last-Modified');
}

/** Header names (lower case, as `Headers` lists them) of caching meant for a CDN or proxy only. */
export const TARGETED_CACHE_CONTROL = /^(?:[a-z0-9-]+-)?cdn-cache-control$|^surrogate-control$/;

/** Whether directives leave a cache no reuse without asking the server. */
function mustAsk(d: Map<string, string | null>): boolean {
  if (d.has('no-store')) return true;
  // `no-cache="Set-Cookie"` only holds back the fields it names.
  if (d.has('no-cache') && d.get('no-cache') === null) return true;
  const stale = d.has('stale-while-revalidate') || d.has('stale-if-error');
  return d.get('max-age') === '0' && !d.has('s-maxage') && !stale;
}

/** Directive names (lower case) and their values (unquoted; `null` without `=`). */
function directives(value: string): Map<string, string | null> {
  const out = new Map<string, string | null>();
  // Commas inside a quoted value (`no-cache="A, B"`) do not separate directives.
  for (const part of value.match(/(?:[^,"]|"(?:[^"\\]|\\.)*")+/g) ?? []) {
    const eq = part.indexOf('=');
    const name = (eq === -1 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (name === '') continue;
    const raw = eq === -1 ? null : part.slice(eq + 1).trim();
    out.set(name, raw?.startsWith('"') ? raw.slice(1, -1) : raw);
  }
  return out;
}
