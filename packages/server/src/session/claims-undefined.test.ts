// docs/server.md: claims are checked as JSON data, and (docs/stores.md) `undefined` is JSON
// "as an object property's value: JSON drops it". checkClaims accepts such claims, but the
// stores' meta check (store/meta-schema.ts) refused them with z.json(), so a sign-in whose
// claims carry an optional field left undefined (`{ name, avatar: row.avatar ?? undefined }`)
// answered 503 store_unavailable.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { reauthAfterRestart } from '../remember/reauth-app.fixture.js';
import { rememberMe } from '../remember/remember.js';
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
    expect((await reauthAfterRestart(remember, { store, reauth: remember })).status).toBe(200);
  });
});
