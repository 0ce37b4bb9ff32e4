import {
  csrfGuard,
  passive,
  problemResponse,
  readJsonBody,
  requireSession,
  type SessionEnv,
} from '@lifeline/server';
import { Hono } from 'hono';
import { z } from 'zod';
import type { DemoConfig } from './config.js';
import type { EventLog } from './events.js';
import { onlyMethods } from './problems.js';

const CART_LIMIT = 50;
const cartItem = z.object({ item: z.string().trim().min(1).max(100) }).strict();
const NO_STORE = { 'Cache-Control': 'no-store' };

/** The `reason` and `detail` an event carries, if any: what the page's log shows. */
function reasonOf(event: object): { reason?: string; detail?: string } {
  const { reason, detail } = event as { reason?: unknown; detail?: unknown };
  return {
    ...(typeof reason === 'string' ? { reason } : {}),
    ...(typeof detail === 'string' ? { detail } : {}),
  };
}

/**
 * The demo's API, mounted at `/api`: `GET /me` (protected), `GET /notifications`
 * (protected, passive), `POST /cart` (protected, CSRF-guarded, `{ item }` kept in the
 * session), and for the page `GET /events` (protected: the caller's own events, without
 * ids) and `GET /config` (both passive).
 *
 * @example
 * app.route('/api', demoApi(config, log));
 */
export function demoApi(config: DemoConfig, log: EventLog): Hono<SessionEnv> {
  const api = new Hono<SessionEnv>();
  api.get('/me', requireSession(), (c) => {
    const { userId, user } = c.var.session;
    return c.json({ userId, user }, 200, NO_STORE);
  });
  api.all('/me', ...onlyMethods('GET'));
  api.get('/notifications', passive(), requireSession(), (c) =>
    c.json({ notifications: [{ id: 1, text: 'Polling this never keeps your session alive.' }] }),
  );
  api.all('/notifications', ...onlyMethods('GET'));
  api.post('/cart', csrfGuard(), requireSession(), async (c) => {
    const body = await readJsonBody(c, cartItem);
    if (!body.ok) return body.response;
    // Session data is store content: anything but a list of strings starts a new cart.
    const stored = c.var.session.get('cart');
    const cart = isCart(stored) ? stored : [];
    if (cart.length >= CART_LIMIT) {
      return problemResponse('invalid_request', { detail: `at most ${CART_LIMIT} items` });
    }
    const next = [...cart, body.data.item];
    c.var.session.set('cart', next);
    return c.json({ cart: next });
  });
  api.all('/cart', ...onlyMethods('POST'));
  // Only the caller's own account's events, and without ids: the page needs what happened
  // and why, never another visitor's session or credential hashes.
  api.get('/events', passive(), requireSession(), (c) => {
    const { userId } = c.var.session;
    const events = log
      .list()
      .filter((e) => e.userId === userId)
      .map(({ at, type, source, ...rest }) => ({ at, type, source, ...reasonOf(rest) }));
    return c.json({ events }, 200, NO_STORE);
  });
  api.all('/events', ...onlyMethods('GET'));
  // The page draws the timeline and arms the client's warning from these.
  const pageConfig = {
    idleTimeoutS: config.idleTimeoutMs / 1000,
    absoluteTimeoutS: config.absoluteTimeoutMs / 1000,
    warnBeforeS: config.warnBeforeMs / 1000,
  };
  api.get('/config', passive(), (c) => c.json(pageConfig)).all('/config', ...onlyMethods('GET'));
  return api;
}

/** A cart as this app stores it: a list of item names. */
function isCart(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
