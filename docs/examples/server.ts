import {
  csrfGuard,
  memoryStore,
  problemResponse,
  readJsonBody,
  rememberMe,
  requireSession,
  type SessionEnv,
  session,
  sessionRoutes,
} from '@lifeline/server';
import { Hono } from 'hono';
import { z } from 'zod';

// Your user table; `findUser` returns public claims, or null for a disabled account.
const users = new Map([['ada', { name: 'Ada Lovelace' }]]);
const passwordOk = (username: string, password: string) =>
  users.has(username) && password === 'correct horse'; // use a real password hash

const store = memoryStore(); // or redisStore({ client }) from '@lifeline/server/redis'
const remember = rememberMe({ store, findUser: (id) => users.get(id) ?? null });
export const sessions = session({ store, reauth: remember, idleTimeout: 15 * 60_000 });

export const app = new Hono<SessionEnv>();
app.use(sessions);
app.route('/session', sessionRoutes({ manager: sessions.manager }));

const credentials = z.object({ username: z.string(), password: z.string() });

app.post('/login', csrfGuard(), async (c) => {
  const body = await readJsonBody(c, credentials); // a bad body: 400/413/415 problem+json
  if (!body.ok) return body.response;
  const { username, password } = body.data;
  if (!passwordOk(username, password)) {
    return problemResponse('invalid_request', { status: 401, detail: 'wrong credentials' });
  }
  await c.var.session.regenerate({ userId: username, user: users.get(username) ?? null });
  await remember.issue(c, username); // optional: lets POST /session/reauth sign back in
  return c.json({ ok: true });
});

app.get('/api/me', requireSession(), (c) => c.json(c.var.session.user));

// A small cart in the session. The middleware writes only the keys a request changed, but
// two requests at once that change the same key: the last write wins (keep data that must
// not lose an update, a real cart, in your database).
const cartItem = z.object({ item: z.string().trim().min(1).max(100) });
app.post('/api/cart', csrfGuard(), requireSession(), async (c) => {
  const body = await readJsonBody(c, cartItem);
  if (!body.ok) return body.response;
  const cart = [...((c.var.session.get('cart') as string[] | undefined) ?? []), body.data.item];
  if (cart.length > 50) return problemResponse('invalid_request', { detail: 'cart is full' });
  c.var.session.set('cart', cart);
  return c.json({ cart });
});
