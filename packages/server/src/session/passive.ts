import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { PASSIVE_HEADER } from '../contract/protocol.js';

const PASSIVE = Symbol.for('lifeline.passive-route');

type Marked = { [PASSIVE]?: true };

/**
 * Marks a handler or middleware: every request routed through it is passive. Hono matches
 * all of a request's routes before the first middleware runs, so `session()` sees the
 * mark before it reads the store and can leave the touch out of that read.
 */
export function markPassiveRoute<H extends object>(handler: H): H {
  (handler as Marked)[PASSIVE] = true;
  return handler;
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
 * Whether the request is passive before any handler runs: it carries `Session-Passive: 1`
 * (the SDK's hidden-tab requests) or is routed through a {@link passive} mark that runs
 * before the handler that answers. Matched routes run in order, and the first one that
 * takes no `next` (a handler, not a middleware) answers; marks after it never run, such as
 * the 405 catch-all registered after a route's real method.
 */
export function isPassiveRequest(c: Context): boolean {
  if (c.req.header(PASSIVE_HEADER) === '1') return true;
  for (const route of matchedRoutes(c)) {
    const handler = unwrap(route.handler);
    if (typeof handler !== 'function') continue;
    if ((handler as Marked)[PASSIVE]) return true;
    if (handler.length < 2) return false; // this one answers
  }
  return false;
}
