import { describe, expect, it } from 'vitest';
import { sessionCookie, testApp, withCookie } from './app.fixture.js';

const ROTATE = 15 * 60_000;

async function started(
  options: Parameters<typeof testApp>[0] = {},
  routes: (t: ReturnType<typeof testApp>) => void = () => {},
) {
  const t = testApp(options);
  routes(t);
  const res = await t.app.request('/login/ada', { method: 'POST' });
  const { id } = (await res.json()) as { id: string };
  return { ...t, token: sessionCookie(res)!, id };
}

describe('periodic rotation', () => {
  it('rotates on the first request after the interval, keeping the session and its id', async () => {
    const { app, clock, token, id, events } = await started();
    clock.advance(ROTATE - 1);
    expect(sessionCookie(await app.request('/read', withCookie(token)))).toBeNull();
    clock.advance(1);
    const res = await app.request('/read', withCookie(token));
    const next = sessionCookie(res);
    expect(next).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(next).not.toBe(token);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(await (await app.request('/read', withCookie(next!))).json()).toMatchObject({
      state: 'active',
      id,
    });
    expect(events.filter((e) => e.type === 'rotated')).toHaveLength(1);
  });

  it('lets the predecessor resolve inside the grace window and hands it the successor', async () => {
    const { app, clock, token } = await started();
    clock.advance(ROTATE);
    const next = sessionCookie(await app.request('/read', withCookie(token)));
    clock.advance(9_999);
    const late = await app.request('/read', withCookie(token));
    expect(await late.json()).toMatchObject({ state: 'active' });
    expect(sessionCookie(late)).toBe(next);
  });

  it('counts the grace window from the rotation, not from the start of a slow request', async () => {
    const { app, clock, token, events } = await started({ onTheft: 'revoke' }, (t) => {
      t.app.post('/slow', (c) => {
        clock.advance(12_000); // a long poll, an upload: longer than the 10 s window
        return c.text('done');
      });
    });
    clock.advance(ROTATE);
    const next = sessionCookie(await app.request('/slow', withCookie(token, { method: 'POST' })));
    expect(next).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Sent by the browser before the successor arrived: still inside the window.
    clock.advance(100);
    const inFlight = await app.request('/read', withCookie(token));
    expect(await inFlight.json()).toMatchObject({ state: 'active' });
    expect(sessionCookie(inFlight)).toBe(next);
    expect(events.filter((e) => e.type === 'rejected')).toEqual([]);
  });

  it('rejects the predecessor after the window as suspected theft, without clearing the cookie', async () => {
    const { app, clock, token, id, events } = await started();
    clock.advance(ROTATE);
    const next = sessionCookie(await app.request('/read', withCookie(token)))!;
    clock.advance(10_000);
    const late = await app.request('/read', withCookie(token));
    expect(await late.json()).toMatchObject({ state: 'none' });
    expect(late.headers.getSetCookie()).toEqual([]);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'rejected', reason: 'theft-suspected', sid: id }),
    );
    // With the default onTheft: 'log', the rightful holder keeps the session.
    expect(await (await app.request('/read', withCookie(next))).json()).toMatchObject({
      state: 'active',
    });
  });

  it('rejects a predecessor’s predecessor and, with onTheft: revoke, ends the session', async () => {
    const { app, clock, token, events } = await started({ onTheft: 'revoke' });
    clock.advance(ROTATE);
    const second = sessionCookie(await app.request('/read', withCookie(token)))!;
    clock.advance(ROTATE);
    const third = sessionCookie(await app.request('/read', withCookie(second)))!;
    const replay = await app.request('/read', withCookie(token));
    expect(await replay.json()).toMatchObject({ state: 'none', reason: 'revoked' });
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'rejected', reason: 'theft-suspected' }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'revoked', detail: 'theft-suspected' }),
    );
    expect(await (await app.request('/read', withCookie(third))).json()).toMatchObject({
      reason: 'revoked',
    });
  });

  it('gives N parallel requests exactly one successor, and every cookie set is that one', async () => {
    const { app, clock, token, counting, events } = await started();
    clock.advance(ROTATE);
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        app.request(
          i % 2 ? '/read' : `/write/k${i}/v`,
          withCookie(token, { method: i % 2 ? 'GET' : 'POST' }),
        ),
      ),
    );
    const cookies = responses.map((r) => sessionCookie(r));
    const successor = cookies.find((c) => c !== null);
    expect(successor).toBeDefined();
    for (const cookie of cookies) expect(cookie).toBe(successor);
    expect(events.filter((e) => e.type === 'rotated')).toHaveLength(1);
    // More than one request tried: the race really happened, and the CAS settled it.
    expect(counting.calls.rotate).toBeGreaterThan(1);
    const state = (await (await app.request('/read', withCookie(successor!))).json()) as {
      state: string;
    };
    expect(state.state).toBe('active');
  });

  it('sets one cookie when a request both writes and rotates', async () => {
    const { app, clock, token } = await started();
    clock.advance(ROTATE);
    const res = await app.request('/write/cart/pear', withCookie(token, { method: 'POST' }));
    expect(res.headers.getSetCookie()).toHaveLength(1);
    const next = sessionCookie(res)!;
    expect(await (await app.request('/read', withCookie(next))).json()).toMatchObject({
      cart: 'pear',
    });
  });

  it('does not rotate a session ended meanwhile, and sends no cookie', async () => {
    const { app, clock, token } = await started({}, ({ app, manager }) => {
      app.get('/slow-revoked', async (c) => {
        await manager.revoke(c.var.session.id!);
        return c.text('done');
      });
    });
    clock.advance(ROTATE);
    const res = await app.request('/slow-revoked', withCookie(token));
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(res.headers.get('Session-Deadline')).toBeNull();
  });
});
