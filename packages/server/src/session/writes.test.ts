import { describe, expect, it } from 'vitest';
import { parseDeadlineHeader } from '../contract/protocol.js';
import { sessionCookie, testApp, withCookie } from './app.fixture.js';
import { passive } from './passive.js';
import { sessionStatus } from './status.js';

const MIN = 60_000;

async function started(routes: (t: ReturnType<typeof testApp>) => void = () => {}) {
  const t = testApp({ rotationInterval: 8 * 60 * MIN });
  routes(t);
  const res = await t.app.request('/login/ada', { method: 'POST' });
  return { ...t, token: sessionCookie(res)! };
}

describe('writes', () => {
  it('makes at most one store write for K ordinary requests inside one touch interval', async () => {
    const { app, clock, token, counting } = await started();
    clock.advance(3 * MIN); // touch interval (idle/10) has passed once
    const before = counting.writes();
    for (let i = 0; i < 20; i++) {
      await app.request('/read', withCookie(token));
      clock.advance(5_000);
    }
    expect(counting.writes() - before).toBe(1);
  });

  it('never touches on passive requests, by header or a passive() route', async () => {
    const { app, clock, token, counting, manager } = await started((t) => {
      t.app.get('/poll', passive(), (c) => c.text('ok'));
    });
    const id = ((await (await app.request('/read', withCookie(token))).json()) as { id: string })
      .id;
    const before = await manager.get(id);
    const writes = counting.writes();
    const idles = new Set<number>();
    for (let i = 0; i < 10; i++) {
      clock.advance(2 * MIN);
      const passive = withCookie(token, { headers: { 'Session-Passive': '1' } });
      const res = await app.request(i % 2 ? '/poll' : '/read', i % 2 ? withCookie(token) : passive);
      idles.add(parseDeadlineHeader(res.headers.get('Session-Deadline'))!.idle);
    }
    expect(counting.writes()).toBe(writes);
    expect(idles).toEqual(new Set([before!.idleExpiresAt]));
    expect((await manager.get(id))!.lastActiveAt).toBe(before!.lastActiveAt);
  });

  it('refuses a data key holding a lone surrogate, which no store could keep apart', async () => {
    const { app, token } = await started((t) => {
      t.app.post('/cut', (c) => {
        const cut = '👍'.slice(0, 1); // a title cut inside an emoji
        try {
          c.var.session.set(`draft:${cut}`, 'text');
        } catch (error) {
          return c.text(String(error), 400);
        }
        c.var.session.set('draft:👍', 'kept');
        return c.text('ok');
      });
    });
    const res = await app.request('/cut', withCookie(token, { method: 'POST' }));
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/^TypeError: session.set\(\): .*lone surrogate/);
    const ok = await app.request('/read', withCookie(token));
    expect(ok.status).toBe(200);
  });

  it('refuses a data value nested deeper than a store could copy back, and keeps the session', async () => {
    const { app, token } = await started((t) => {
      t.app.post('/nest/:levels', (c) => {
        const levels = Number(c.req.param('levels'));
        try {
          c.var.session.set('tree', JSON.parse(`${'['.repeat(levels)}${']'.repeat(levels)}`));
        } catch (error) {
          return c.text(String(error), 400);
        }
        return c.text('ok');
      });
    });
    const deep = await app.request('/nest/1001', withCookie(token, { method: 'POST' }));
    expect(deep.status).toBe(400);
    expect(await deep.text()).toBe(
      'TypeError: session.set(): the value nests deeper than 1000 levels',
    );
    const fine = await app.request('/nest/1000', withCookie(token, { method: 'POST' }));
    expect(fine.status).toBe(200);
    expect((await app.request('/read', withCookie(token))).status).toBe(200);
  });

  it('refuses user claims nested too deep to send back, naming them, and keeps the session', async () => {
    const { app, token } = await started((t) => {
      t.app.get('/status', (c) => c.json(sessionStatus(c.var.session)));
      t.app.post('/claims/:levels', async (c) => {
        let user: Record<string, unknown> = { name: 'Ada' };
        for (let i = 1; i < Number(c.req.param('levels')); i++) user = { nested: user };
        try {
          await c.var.session.regenerate({ user: user as never });
        } catch (error) {
          return c.text(String(error), 400);
        }
        return c.text('ok');
      });
    });
    const deep = await app.request('/claims/33', withCookie(token, { method: 'POST' }));
    expect(deep.status).toBe(400);
    expect(await deep.text()).toBe('TypeError: regenerate: `user` nests deeper than 32 levels');
    expect((await app.request('/read', withCookie(token))).status).toBe(200);
    const fine = await app.request('/claims/32', withCookie(token, { method: 'POST' }));
    expect(fine.status).toBe(200);
    const status = await app.request('/status', withCookie(sessionCookie(fine)!));
    expect(await status.json()).toMatchObject({ state: 'active', user: { nested: {} } });
  });

  // The memory store would keep these as given and the Redis store change or fail on
  // them (a 503, read as an outage): refused where the app writes them, in every store.
  it.each([
    ['a BigInt', 10n, 'holds a bigint (not JSON)'],
    ['a Date', new Date(0), 'holds a Date (not JSON)'],
    ['a Map inside an array', [new Map()], 'holds a Map (not JSON)'],
    ['NaN', { total: Number.NaN }, 'holds NaN (not JSON)'],
    ['undefined', undefined, 'holds undefined (not JSON)'],
  ])(
    'refuses %s as a data value, naming what is wrong, and keeps the session',
    async (_, value, problem) => {
      const { app, token } = await started((t) => {
        t.app.post('/put', (c) => {
          try {
            c.var.session.set('value', value as never);
          } catch (error) {
            return c.text(String(error), 400);
          }
          return c.text('ok');
        });
      });
      const res = await app.request('/put', withCookie(token, { method: 'POST' }));
      expect(await res.text()).toBe(`TypeError: session.set(): the value ${problem}`);
      expect((await app.request('/read', withCookie(token))).status).toBe(200);
    },
  );

  it('keeps an object property holding undefined: every store reads it back as absent', async () => {
    const { app, token } = await started((t) => {
      t.app.post('/put', (c) => {
        c.var.session.set('profile', { name: 'Ada', nickname: undefined } as never);
        return c.text('ok');
      });
      t.app.get('/profile', (c) => c.json(c.var.session.get('profile')));
    });
    expect((await app.request('/put', withCookie(token, { method: 'POST' }))).status).toBe(200);
    expect(await (await app.request('/profile', withCookie(token))).json()).toEqual({
      name: 'Ada',
    });
  });

  it('refuses user claims a status body could not carry, before anything is stored', async () => {
    const { app, token, counting } = await started((t) => {
      t.app.get('/status', (c) => c.json(sessionStatus(c.var.session)));
      t.app.post('/claims', async (c) => {
        const claims = c.req.query('as') === 'array' ? ['admin'] : { id: 10n };
        try {
          await c.var.session.regenerate({ userId: 'ada', user: claims as never });
        } catch (error) {
          return c.text(String(error), 400);
        }
        return c.text('ok');
      });
    });
    const writes = counting.writes();
    const bigint = await app.request('/claims', withCookie(token, { method: 'POST' }));
    expect(await bigint.text()).toBe('TypeError: regenerate: `user` holds a bigint (not JSON)');
    const array = await app.request('/claims?as=array', withCookie(token, { method: 'POST' }));
    expect(await array.text()).toBe(
      'TypeError: regenerate: `user` must be an object of JSON claims or null',
    );
    expect(counting.writes()).toBe(writes);
    const status = await app.request('/status', withCookie(token));
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ state: 'active' });
  });

  it('reads only keys the session holds, never what every object inherits', async () => {
    const { app, token } = await started((t) => {
      t.app.get('/typeof/:key', (c) => c.text(typeof c.var.session.get(c.req.param('key'))));
      t.app.post('/proto-login', async (c) => {
        c.var.session.set('__proto__', 'kept');
        await c.var.session.regenerate({ userId: 'ada' });
        return c.text('ok');
      });
    });
    for (const key of ['constructor', 'toString', 'hasOwnProperty', '__proto__']) {
      expect(await (await app.request(`/typeof/${key}`, withCookie(token))).text()).toBe(
        'undefined',
      );
    }
    // A key named __proto__ survives a sign-in as data, not as the data object's prototype.
    const login = await app.request('/proto-login', withCookie(token, { method: 'POST' }));
    const renewed = sessionCookie(login)!;
    expect(await (await app.request('/get/__proto__', withCookie(renewed))).json()).toBe('kept');
  });

  it('keeps both of two concurrent writes to different keys', async () => {
    const { app, token } = await started();
    await Promise.all([
      app.request('/write/a/1', withCookie(token, { method: 'POST' })),
      app.request('/write/b/2', withCookie(token, { method: 'POST' })),
    ]);
    expect(await (await app.request('/get/a', withCookie(token))).json()).toBe('1');
    expect(await (await app.request('/get/b', withCookie(token))).json()).toBe('2');
  });

  it('does not bring a session back when a slow request finishes after logout', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const { app, token, manager } = await started((t) => {
      t.app.post('/slow', async (c) => {
        c.var.session.set('late', 'write');
        c.var.session.extend();
        await gate;
        return c.text('done');
      });
    });
    const id = ((await (await app.request('/read', withCookie(token))).json()) as { id: string })
      .id;
    const slow = app.request('/slow', withCookie(token, { method: 'POST' }));
    const logout = await app.request('/logout', withCookie(token, { method: 'POST' }));
    expect(sessionCookie(logout)).toBe('');
    release();
    const res = await slow;
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(res.headers.get('Session-Deadline')).toBeNull();
    const record = await manager.get(id);
    expect(record?.ended?.reason).toBe('logged-out');
    expect(record?.data).toEqual({});
    expect(await (await app.request('/read', withCookie(token))).json()).toMatchObject({
      state: 'none',
      reason: 'logged-out',
    });
  });

  it('sends a deadline header on every live response that matches the status body', async () => {
    const { app, clock, token } = await started((t) => {
      t.app.get('/status', (c) => {
        c.var.session.markPassive();
        return c.json(sessionStatus(c.var.session));
      });
    });
    clock.advance(7 * MIN);
    await app.request('/read', withCookie(token)); // a touch
    clock.advance(MIN);
    const res = await app.request('/status', withCookie(token));
    const body = (await res.json()) as Record<string, unknown>;
    expect(parseDeadlineHeader(res.headers.get('Session-Deadline'))).toEqual({
      idle: body.idleExpiresAt,
      absolute: body.absoluteExpiresAt,
      now: body.now,
    });
    expect(body).toMatchObject({
      state: 'active',
      idleTimeoutMs: 30 * MIN,
      canReauth: false,
      user: { name: 'ada' },
    });
    expect(JSON.stringify(body)).not.toContain(token);
  });

  it('reports none with the reason in the status body after logout', async () => {
    const { app, token } = await started((t) => {
      t.app.get('/status', (c) => c.json(sessionStatus(c.var.session)));
    });
    await app.request('/logout', withCookie(token, { method: 'POST' }));
    const body = await (await app.request('/status', withCookie(token))).json();
    expect(body).toMatchObject({ state: 'none', reason: 'logged-out', idleTimeoutMs: 30 * MIN });
  });
});
