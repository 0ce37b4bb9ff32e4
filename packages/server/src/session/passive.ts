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

function isMarked(handler: unknown): boolean {
  if (typeof handler !== 'function') return false;
  if ((handler as Marked)[PASSIVE]) return true;
  const inner = (handler as unknown as Record<string, unknown>)[COMPOSED];
  return typeof inner === 'function' && (inner as Marked)[PASSIVE] === true;
}

/**
 * Whether the request is passive before any handler runs: it carries `Session-Passive: 1`
 * (the SDK's hidden-tab requests) or is routed through a {@link passive} mark.
 */
export function isPassiveRequest(c: Context): boolean {
  if (c.req.header(PASSIVE_HEADER) === '1') return true;
  for (const route of matchedRoutes(c)) if (isMarked(route.handler)) return true;
  return false;
}
