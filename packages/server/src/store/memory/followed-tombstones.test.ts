import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { rememberMe } from '../../remember/remember.js';
import { sessionRoutes } from '../../routes/routes.js';
import { Browser } from '../../routes/test-app.fixture.js';
import { session } from '../../session/middleware.js';
import type { SessionEnv } from '../../session/types.js';
import { manualClock } from '../../testing/clock.js';
import { type MemoryEviction, memoryStore } from './index.js';

const MIN = 60_000;

/**
 * An app on a bounded memory store where an admin revokes a device by an id listed before
 * the device moved on: a privilege change (the tombstone names its successor), or an idle
 * timeout followed by a remember-me re-auth (the tombstone names the credential).
 */
function bounded(maxSessions: number) {
  const clock = manualClock();
  const evicted: MemoryEviction[] = [];
  const store = memoryStore({ maxSessions, now: clock.now, onEvict: (e) => evicted.push(e) });
  const remember = rememberMe({ store, now: clock.now, findUser: (id) => ({ name: id }) });
  const sessions = session({ store, now: clock.now, reauth: remember });
  const app = new Hono<SessionEnv>();
  app.use(sessions);
  app.post('/login', async (c) => {
    const user = c.req.query('u') ?? 'u1';
    await c.var.session.regenerate({ userId: user });
    if (c.req.query('remember') === '1') await remember.issue(c, user);
    return c.text('in');
  });
  app.post('/elevate', async (c) => {
    await c.var.session.regenerate({ cause: 'privilege-change' });
    return c.text('elevated');
  });
  app.get('/state', (c) => c.text(c.var.session.state));
  app.route('/session', sessionRoutes({ manager: sessions.manager }));
  /** Someone signs in and out: a tombstone nothing follows, newer than the device's. */
  const signInAndOut = async (user: string) => {
    const passer = new Browser(app);
    await passer.post(`/login?u=${user}`);
    await passer.post('/session/logout');
  };
  const listedId = async (user: string) => (await sessions.manager.listForUser(user))[0]!.id;
  return { app, clock, store, evicted, manager: sessions.manager, signInAndOut, listedId };
}

describe('a full memory store keeps the tombstones a revocation follows', () => {
  it('drops a signed-out tombstone before a privilege change one, so revoke() of the listed id still reaches the device', async () => {
    const t = bounded(3);
    const device = new Browser(t.app);
    await device.post('/login?u=u1');
    const listed = await t.listedId('u1');
    await device.post('/elevate');
    await t.signInAndOut('u3');
    t.clock.advance(1_000);
    await new Browser(t.app).post('/login?u=u2'); // full: one record must go
    expect(t.evicted).toEqual([]);
    await t.manager.revoke(listed);
    expect(await (await device.get('/state')).text()).toBe('none');
  });

  it('drops a signed-out tombstone before one whose device came back with remember-me', async () => {
    const t = bounded(3);
    const device = new Browser(t.app);
    await device.post('/login?u=u1&remember=1');
    const listed = await t.listedId('u1');
    t.clock.advance(31 * MIN); // idles out; the next request leaves a tombstone
    expect(await (await device.get('/state')).text()).not.toBe('active');
    expect((await device.post('/session/reauth')).status).toBe(200);
    await t.signInAndOut('u3');
    await new Browser(t.app).post('/login?u=u2');
    expect(t.evicted).toEqual([]);
    await t.manager.revoke(listed);
    expect(await (await device.get('/state')).text()).toBe('none');
    expect((await device.post('/session/reauth')).status).toBe(401);
  });

  it('reports dropping a followed tombstone to onEvict when nothing else can go first', async () => {
    const t = bounded(2);
    const device = new Browser(t.app);
    await device.post('/login?u=u1');
    await device.post('/elevate');
    const ended = await t.listedId('u1'); // the live one; the tombstone is the other record
    await new Browser(t.app).post('/login?u=u2');
    expect(t.evicted).toHaveLength(1);
    expect(t.evicted[0]).toMatchObject({ kind: 'session', userId: 'u1' });
    expect(t.evicted[0]!.id).not.toBe(ended);
    expect(await (await device.get('/state')).text()).toBe('active');
  });

  it("counts a sign-out's tombstone as nothing followed, though it names the credential the sign-out deleted", async () => {
    const t = bounded(2);
    const device = new Browser(t.app);
    await device.post('/login?u=u1&remember=1');
    await device.post('/session/logout');
    expect(t.store.stats().credentials).toBe(0);
    await new Browser(t.app).post('/login?u=u2');
    const before = t.store.stats();
    await new Browser(t.app).post('/login?u=u3'); // full: the sign-out's tombstone goes
    expect(t.evicted).toEqual([]);
    expect(t.store.stats().evicted - before.evicted).toBe(0);
  });

  it('drops a session that idled out before a tombstone a revocation follows', async () => {
    const t = bounded(3);
    await new Browser(t.app).post('/login?u=u4');
    t.clock.advance(20 * MIN);
    const device = new Browser(t.app);
    await device.post('/login?u=u1');
    const listed = await t.listedId('u1');
    await device.post('/elevate');
    t.clock.advance(11 * MIN); // u4 idled out; its record is kept for the reason
    await new Browser(t.app).post('/login?u=u2'); // full: one record must go
    expect(t.evicted).toEqual([]);
    await t.manager.revoke(listed);
    expect(await (await device.get('/state')).text()).toBe('none');
  });
});
