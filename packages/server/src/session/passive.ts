import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { PASSIVE_HEADER } from '../contract/protocol.js';
import { bareOrigin, ownOrigin } from '../csrf/origin.js';

/**
 * What a route's mark tells `session()` before it reads the store: `passive` requests
 * never move the idle deadline; `outside` ones (a static asset such as the SDK bundle) are
 * no session request at all: no store read, no cookie, no deadline header, and a
 * `c.var.session` with no session that refuses writes.
 */
export type RouteMark = 'passive' | 'outside';

const MARK = Symbol.for('lifeline.route-mark');

type Marked = { [MARK]?: RouteMark };

function markRoute<H extends object>(handler: H, mark: RouteMark): H {
  (handler as Marked)[MARK] = mark;
  return handler;
}

/**
 * Marks a handler or middleware: every request routed through it is passive. Hono matches
 * all of a request's routes before the first middleware runs, so `session()` sees the
 * mark before it reads the store and can leave the touch out of that read.
 */
export function markPassiveRoute<H extends object>(handler: H): H {
  return markRoute(handler, 'passive');
}

/**
 * Marks a handler whose answer is the same for everyone (`GET /client.js`): `session()`
 * leaves such requests alone. `c.var.session` there is a visitor without a cookie
 * (`state: 'none'`) whose writes throw, so app middleware reading it keeps working.
 */
export function markOutsideRoute<H extends object>(handler: H): H {
  return markRoute(handler, 'outside');
}

const passiveMiddleware: MiddlewareHandler = markPassiveRoute(async (c, next) => {
  (c.get('session') as { markPassive?: () => void } | undefined)?.markPassive?.();
  await next();
});

/**
 * Route middleware for background requests (polling, prefetch): they never extend the idle
 * time. Put it on the route, before the handler; it is recognised before the session is
 * read, so the ordinary request's read-and-touch leaves it alone.
 *
 * @example
 * app.get('/api/notifications', passive(), requireSession(), (c) => c.json(latest()));
 */
export function passive(): MiddlewareHandler {
  return passiveMiddleware;
}

/** A sub-app with its own `onError` wraps each handler; Hono keeps the original here. */
const COMPOSED = '__COMPOSED_HANDLER';

/** The handler as registered, through any number of sub-app `onError` wrappers. */
function unwrap(handler: unknown): unknown {
  let inner = handler;
  for (let depth = 0; depth < 32 && typeof inner === 'function'; depth++) {
    const wrapped = (inner as unknown as Record<string, unknown>)[COMPOSED];
    if (typeof wrapped !== 'function') break;
    inner = wrapped;
  }
  return inner;
}

/**
 * The mark that decides the request before any handler runs: the first one on a route
 * that runs before the handler that answers. Matched routes run in order, and the first
 * one that takes no `next` (a handler, not a middleware) answers; marks after it never
 * run, such as the 405 catch-all registered after a route's real method.
 */
export function routeMark(c: Context): RouteMark | null {
  for (const route of matchedRoutes(c)) {
    const handler = unwrap(route.handler);
    if (typeof handler !== 'function') continue;
    const mark = (handler as Marked)[MARK];
    if (mark !== undefined) return mark;
    if (handler.length < 2) return null; // this one answers
  }
  return null;
}

/** What decides whether a request comes from the app's own pages. */
type SiteOptions = { readonly origins: ReadonlySet<string>; readonly trustProxy: boolean };

/**
 * Whether a request `session()` handles is passive: it carries `Session-Passive: 1` (the
 * SDK's hidden-tab requests), its route is marked with {@link passive}, or it does not
 * {@link showsPerson} at work.
 */
export function isPassiveRequest(
  c: Context,
  site: SiteOptions,
  mark: RouteMark | null = routeMark(c),
): boolean {
  return mark === 'passive' || c.req.header(PASSIVE_HEADER) === '1' || !showsPerson(c, site);
}

/**
 * Whether a request shows the person at work: it comes from the app's own pages
 * ({@link fromOwnSite}), or it is a top-level navigation the person started (a link
 * followed from elsewhere: `Sec-Fetch-User: ?1`). Anything else another site, or a sibling
 * subdomain, can start on its own while nobody is there, and the browser sends the cookie
 * along (`SameSite=None` from any site, `Lax` from a sibling subdomain): an `<img>`, a
 * frame, a script's navigation, and a simple CORS `fetch`, which runs whatever the CORS
 * policy says (the policy only keeps its answer from that page). A page left open there
 * would otherwise keep the session alive for ever.
 */
function showsPerson(c: Context, site: SiteOptions): boolean {
  return (
    fromOwnSite(c, site) ||
    (c.req.header('Sec-Fetch-User') === '?1' && c.req.header('Sec-Fetch-Dest') === 'document')
  );
}

/**
 * Whether the browser says this request came from the app's own pages (`same-origin`, or
 * an `Origin` the app listed in `origins`) or from the person (`none`: the address bar, a
 * bookmark). Another site, a sibling subdomain included, can start requests that carry the
 * cookie (a link opened in a popup, a `no-cors` POST) and abort them before the answer
 * arrives. Without `Sec-Fetch-Site` (a client that is no browser, an old browser, or
 * Chromium over plain HTTP to a host other than localhost, which sends no `Sec-Fetch-*`
 * there), the `Origin` a browser sends on a CORS call or a POST must be the request's own
 * (behind a proxy that rewrites `Host`, list the public origin in `origins`); a request
 * without one, or with `Origin: null` (a GET subresource over plain HTTP, a page with
 * `Referrer-Policy: no-referrer`), cannot be told apart.
 */
export function fromOwnSite(c: Context, { origins, trustProxy }: SiteOptions): boolean {
  const site = c.req.header('Sec-Fetch-Site');
  if (site === 'same-origin' || site === 'none') return true;
  const origin = c.req.header('Origin');
  if (origin !== undefined && origins.has(origin)) return true;
  if (site !== undefined || origin === undefined) return site === undefined;
  // Written by hand, it may differ in case or name the default port. `null` (what a page
  // with `Referrer-Policy: no-referrer` sends, helmet's default) says nothing of the site.
  const bare = bareOrigin(origin);
  return bare === null || bare === ownOrigin(c, trustProxy) || origins.has(bare);
}
