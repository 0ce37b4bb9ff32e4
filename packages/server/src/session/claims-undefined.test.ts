// docs/server.md: claims are checked as JSON data, and (docs/stores.md) `undefined` is JSON
// "as an object property's value: JSON drops it". checkClaims accepts such claims, but the
// stores' new meta check (store/meta-schema.ts, z.json()) refuses them, so a sign-in whose
// claims carry an optional field left undefined (`{ name, avatar: row.avatar ?? undefined }`)
// answers 503 store_unavailable: it answered 200 before the meta check.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { rememberMe } from '../remember/remember.js';
import { sessionRoutes } from '../routes/routes.js';
import { Browser } from '../routes/test-app.fixture.js';
import { memoryStore } from '../store/memory/index.js';
import { session } from './middleware.js';
import type { SessionEnv } from './types.js';

const claims = { name: 'Ada', avatar: undefined } as unknown as { name: string };

describe('claims holding an undefined property', () => {
  it('sign in (regenerate) as before', async () => {
    const app = new Hono<SessionEnv>();
    app.use(session({ store: memoryStore() }));
    app.post('/login', async (c) => {
      await c.var.session.regenerate({ userId: 'u1', user: claims });
      return c.json({ ok: true });
    });
    app.get('/user', (c) => c.json(c.var.session.user));
    const browser = new Browser(app);
    expect((await browser.post('/login')).status).toBe(200);
    expect(await (await browser.get('/user')).json()).toEqual({ name: 'Ada' });
  });

  it("re-authenticate when rememberMe's findUser answers them", async () => {
    const store = memoryStore();
    const remember = rememberMe({ store, findUser: () => claims });
    const app = new Hono<SessionEnv>();
    app.use(session({ store, reauth: remember }));
    app.post('/login', async (c) => {
      await c.var.session.regenerate({ userId: 'u1' });
      await remember.issue(c, 'u1');
      return c.json({ ok: true });
    });
    app.route('/session', sessionRoutes());
    const browser = new Browser(app);
    expect((await browser.post('/login')).status).toBe(200);
    browser.cookies.delete('lifeline');
    expect((await browser.post('/session/reauth')).status).toBe(200);
  });
});
