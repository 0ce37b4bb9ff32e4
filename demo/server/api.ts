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

const CART_LIMIT = 50;
const cartItem = z.object({ item: z.string().trim().min(1).max(100) }).strict();
const NO_STORE = { 'Cache-Control': 'no-store' };

/**
 * The demo's API, mounted at `/api`: `GET /me` (protected), `GET /notifications`
 * (protected, passive), `POST /cart` (protected, CSRF-guarded, `{ item }` kept in the
 * session), and for the page `GET /events` and `GET /config` (both passive).
 *
 * @example
 * app.route('/api', demoApi(config, log));
 */
export function demoApi(config: DemoConfig, log: EventLog): Hono<SessionEnv> {
  const api = new Hono<SessionEnv>();
  api.get('/me', requireSession(), (c) => {
    const { userId, user } = c.var.session;
    return c.json({ userId, user });
  });
  api.get('/notifications', passive(), requireSession(), (c) =>
    c.json({ notifications: [{ id: 1, text: 'Polling this never keeps your session alive.' }] }),
  );
  api.post('/cart', csrfGuard(), requireSession(), async (c) => {
    const body = await readJsonBody(c, cartItem);
    if (!body.ok) return body.response;
    const cart = (c.var.session.get('cart') as string[] | undefined) ?? [];
    if (cart.length >= CART_LIMIT) {
      return problemResponse('invalid_request', { detail: `at most ${CART_LIMIT} items` });
    }
    const next = [...cart, body.data.item];
    c.var.session.set('cart', next);
    return c.json({ cart: next });
  });
  api.get('/events', passive(), (c) => c.json({ events: log.list() }, 200, NO_STORE));
  // The page draws the timeline and arms the client's warning from these.
  const pageConfig = {
    idleTimeoutS: config.idleTimeoutMs / 1000,
    absoluteTimeoutS: config.absoluteTimeoutMs / 1000,
    warnBeforeS: config.warnBeforeMs / 1000,
  };
  api.get('/config', passive(), (c) => c.json(pageConfig));
  return api;
}
