import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { PASSIVE_HEADER } from '../contract/protocol.js';

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

/**
 * Whether a request `session()` handles is passive: it carries `Session-Passive: 1` (the
 * SDK's hidden-tab requests), its route is marked with {@link passive}, or it is a
 * {@link foreignSubresource}.
 */
export function isPassiveRequest(c: Context, mark: RouteMark | null = routeMark(c)): boolean {
  return mark === 'passive' || c.req.header(PASSIVE_HEADER) === '1' || foreignSubresource(c);
}

/**
 * A subresource load (`<img>`, `<script>`, `<link>`) that another site or a sibling
 * subdomain started: the browser sends the cookie along, but it is no sign of the person,
 * whose own app calls same-origin or with CORS. Navigations (a link followed) and CORS
 * calls (which need the app's consent to carry credentials) still count.
 */
function foreignSubresource(c: Context): boolean {
  return c.req.header('Sec-Fetch-Mode') === 'no-cors' && !fromOwnSite(c);
}

/**
 * Whether the browser says this request came from the app's own pages (`same-origin`) or
 * from the person (`none`: the address bar, a bookmark), or says nothing (a client that is
 * no browser, or one too old to send `Sec-Fetch-Site`). Another site, a sibling subdomain
 * included, can start requests that carry the cookie (a link opened in a popup, a `no-cors`
 * POST) and abort them before the answer arrives.
 */
export function fromOwnSite(c: Context): boolean {
  const site = c.req.header('Sec-Fetch-Site');
  return site === undefined || site === 'same-origin' || site === 'none';
}
