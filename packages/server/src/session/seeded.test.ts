import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../events/types.js';
import { Browser } from '../routes/test-app.fixture.js';
import { memoryStore } from '../store/memory/index.js';
import { manualClock } from '../testing/clock.js';
import { session } from './middleware.js';
import type { ReauthProof, SessionEnv } from './types.js';

/** An app whose re-auth strategy proves whoever `?user=` names, with the seed the test sets. */
function seededApp() {
  const clock = manualClock();
  const events: SessionEvent[] = [];
  const proof: { seed?: Uint8Array } = {};
  const sessions = session({
    store: memoryStore({ now: clock.now }),
    now: clock.now,
    onEvent: (e) => {
      events.push(e);
    },
    reauth: {
      canReauth: () => true,
      reauthenticate: async (c): Promise<ReauthProof> => ({
        userId: c.req.query('user') ?? 'u1',
        ...(proof.seed && { sessionSeed: proof.seed }),
      }),
    },
  });
  const app = new Hono<SessionEnv>();
  app.onError((_, c) => c.text('strategy error', 500)); // quiet: one test expects a throw
  app.use(sessions);
  app.post('/reauth', async (c) => {
    const note = c.req.query('note');
    if (note !== undefined) c.var.session.set('note', note);
    const ok = await c.var.session.reauthenticate();
    return c.json({ ok, id: c.var.session.id });
  });
  app.post('/logout', async (c) => {
    await c.var.session.destroy();
    return c.text('ok');
  });
  app.get('/note', (c) => c.json(c.var.session.get('note') ?? null));
  return { app, clock, events, proof, manager: sessions.manager };
}

const cookieOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .find((line) => line.startsWith('lifeline='))
    ?.split(';')[0];

describe('a re-auth proof with a sessionSeed', () => {
  it('makes re-auths with one seed share one session: the second joins it and sends the same cookie', async () => {
    const t = seededApp();
    t.proof.seed = crypto.getRandomValues(new Uint8Array(32));
    const first = await new Browser(t.app).post('/reauth');
    const second = await new Browser(t.app).post('/reauth?note=kept');
    expect(cookieOf(second)).toBe(cookieOf(first));
    expect((await second.json()).id).toBe((await first.json()).id);
    expect(await t.manager.listForUser('u1')).toHaveLength(1);
    // The joining request's own write lands on the shared session.
    const browser = new Browser(t.app);
    browser.cookies.set('lifeline', cookieOf(first)!.split('=')[1]!);
    expect(await (await browser.get('/note')).json()).toBe('kept');
    expect(t.events.map((e) => e.type)).toEqual(['created', 'reauthenticated', 'reauthenticated']);
  });

  it('derives the session token from the seed and the user: never the seed, never shared by two users', async () => {
    const t = seededApp();
    t.proof.seed = new Uint8Array(32).fill(7);
    const ada = cookieOf(await new Browser(t.app).post('/reauth?user=ada'))!;
    const bob = cookieOf(await new Browser(t.app).post('/reauth?user=bob'))!;
    expect(ada).not.toBe(bob);
    expect(ada).not.toContain('BwcHBwcHBwcHBwcH'); // the seed's base64url
  });

  it('creates a fresh random session when the seeded one has ended meanwhile', async () => {
    const t = seededApp();
    t.proof.seed = crypto.getRandomValues(new Uint8Array(32));
    const browser = new Browser(t.app);
    const first = cookieOf(await browser.post('/reauth'));
    await browser.post('/logout');
    const again = await new Browser(t.app).post('/reauth');
    expect((await again.json()).ok).toBe(true);
    expect(cookieOf(again)).not.toBe(first);
    expect(await t.manager.listForUser('u1')).toHaveLength(1);
  });

  it('refuses a seed shorter than 32 bytes: a strategy bug, not a sign-in', async () => {
    const t = seededApp();
    t.proof.seed = new Uint8Array(16);
    const res = await new Browser(t.app).post('/reauth');
    expect(res.status).toBe(500);
    expect(await t.manager.listForUser('u1')).toHaveLength(0);
  });
});
