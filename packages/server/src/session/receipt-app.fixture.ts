import { type RoutesTestOptions, routesTestApp } from '../routes/test-app.fixture.js';

/** The renewal receipt's cookie name, with the default `cookie.name`. */
export const RECEIPT = 'lifeline-renewed';

/**
 * The route tests' app plus a privilege change (`/elevate`), an anonymous write (`/cart`),
 * a handler that tries to set the receipt itself and a "who am I" (`/whoami`).
 */
export function receiptApp(options?: RoutesTestOptions) {
  const t = routesTestApp(options);
  t.app.post('/elevate', async (c) => {
    await c.var.session.regenerate();
    return c.json({ id: c.var.session.id });
  });
  t.app.post('/cart', (c) => {
    c.var.session.set('cart', 1);
    return c.json({ ok: true });
  });
  t.app.get('/forges-receipt', (c) => {
    c.header('Set-Cookie', `${RECEIPT}=forged; Path=/`, { append: true });
    return c.json({ ok: true });
  });
  t.app.get('/whoami', (c) =>
    c.json({ state: c.var.session.state, id: c.var.session.id, userId: c.var.session.userId }),
  );
  return t;
}
