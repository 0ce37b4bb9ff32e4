/**
 * Whether a cache may hand this response out again later without asking the server
 * (RFC 9111), so that a `Session-Deadline` on it would be replayed: one person's deadlines
 * to everyone behind a shared cache, and an old `now` to this browser's SDK.
 *
 * - A `Cache-Control` (or a CDN's own `CDN-Cache-Control`, `Surrogate-Control`, which
 *   outrank it there) that gives a freshness (`max-age` above 0, `s-maxage`, a stale
 *   allowance, `public`) lets a cache reuse it; one that says `no-store`, an unqualified
 *   `no-cache` or `max-age=0` does not. Other directives (`private`, `must-revalidate`)
 *   leave it to the rest.
 * - Then `Expires`: a date still ahead lets a cache reuse it; an invalid or past one
 *   (`0`, `-1`) does not.
 * - Then `Last-Modified`, from which a browser guesses a freshness, or a status a browser
 *   keeps without one (300, 301, 308, 410).
 * - A CDN's header saying "ask" leaves the browser's rules to decide.
 *
 * A copy kept only for its `ETag` is asked about every time, and its 304 (which the browser
 * merges into the stored copy) carries a fresh header. A 304 is judged by what it carries:
 * Hono's `etag()` keeps `Cache-Control` and `Expires` on it but not `Last-Modified`, so a
 * copy fresh only by that guess gets a header it may replay (docs/design-decisions.md).
 */
export function reusableByCache(headers: Headers, status: number, now: number): boolean {
  let browserAsks = false;
  for (const [name, value] of headers) {
    if (!name.endsWith('control')) continue;
    const browsers = name === 'cache-control';
    if (!browsers && !TARGETED_CACHE_CONTROL.test(name)) continue;
    const verdict = reuse(directives(value));
    if (verdict === true) return true;
    // A CDN's own "ask" says nothing of the browser's cache, which ignores that header.
    if (verdict === false && browsers) browserAsks = true;
  }
  if (browserAsks) return false;
  const expires = headers.get('Expires');
  if (expires !== null) return Date.parse(expires) > now;
  // Browsers keep these without any freshness given (RFC 9111 4.2.2; Chromium: for good).
  return headers.has('Last-Modified') || IMPLICITLY_FRESH.has(status);
}

/** Statuses a browser reuses without freshness information. */
const IMPLICITLY_FRESH = new Set([300, 301, 308, 410]);

/** Header names (lower case, as `Headers` lists them) of caching meant for a CDN or proxy only. */
export const TARGETED_CACHE_CONTROL = /^(?:[a-z0-9-]+-)?cdn-cache-control$|^surrogate-control$/;

/** True: reusable; false: every reuse asks the server; undefined: these say neither. */
function reuse(d: Map<string, string | null>): boolean | undefined {
  // `no-cache="Set-Cookie"` only holds back the fields it names.
  if (d.has('no-store') || (d.has('no-cache') && d.get('no-cache') === null)) return false;
  if (d.has('s-maxage') || d.has('stale-while-revalidate') || d.has('stale-if-error')) {
    return true;
  }
  if (d.has('max-age')) return Number(d.get('max-age')) > 0;
  return d.has('public') ? true : undefined;
}

/**
 * Directive names (lower case) and their values (unquoted; `null` without `=`); the first
 * of a repeated directive counts, as RFC 9111 and browsers take it.
 */
function directives(value: string): Map<string, string | null> {
  const out = new Map<string, string | null>();
  // Commas inside a quoted value (`no-cache="A, B"`) do not separate directives; an
  // unclosed quote runs to the end (linear time whatever the header holds).
  for (const part of value.match(/(?:[^,"]|"(?:[^"\\]|\\.)*"?)+/g) ?? []) {
    const eq = part.indexOf('=');
    const name = (eq === -1 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (name === '' || out.has(name)) continue;
    const raw = eq === -1 ? null : part.slice(eq + 1).trim();
    out.set(name, raw?.startsWith('"') ? raw.slice(1, -1) : raw);
  }
  return out;
}
