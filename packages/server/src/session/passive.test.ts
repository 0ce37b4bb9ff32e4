import { Hono } from 'hono';
import { describe, expect, it, vi } from 'vitest';
import { methodNotAllowed } from '../routes/methods.js';
import { sessionRoutes } from '../routes/routes.js';
import { sessionCookie, testApp, withCookie } from './app.fixture.js';
import { passive } from './passive.js';
import type { SessionEnv } from './types.js';

const MIN = 60_000;

/** A signed-in test app with a due touch, and a probe of the stored idle deadline. */
async function dueApp(routes: (app: Hono<SessionEnv>) => void) {
  const t = testApp({ rotationInterval: 8 * 60 * MIN });
  routes(t.app);
  t.app.route('/session', sessionRoutes());
  const token = sessionCookie(await t.app.request('/login/ada', { method: 'POST' }))!;
  const { id } = (await (await t.app.request('/read', withCookie(token))).json()) as { id: string };
  const idle = async () => (await t.manager.get(id))!.idleExpiresAt;
  t.clock.advance(5 * MIN); // past the touch interval (3 min)
  return { ...t, token, idle, before: await idle() };
}

describe('passive requests and the read that touches', () => {
  it('touches inside the read on an ordinary GET: one store call, no write after', async () => {
    const { app, token, idle, before, counting, clock } = await dueApp(() => {});
    const calls = { ...counting.calls };
    await app.request('/read', withCookie(token));
    expect(await idle()).toBe(clock.now() + 30 * MIN);
    expect(await idle()).toBeGreaterThan(before);
    expect(counting.calls.getAndTouch).toBe((calls.getAndTouch ?? 0) + 1);
    expect(counting.calls.update ?? 0).toBe(calls.update ?? 0);
  });

  it('touches inside the read on HEAD too', async () => {
    const { app, token, idle, before, clock } = await dueApp(() => {});
    await app.request('/read', withCookie(token, { method: 'HEAD' }));
    expect(await idle()).toBe(clock.now() + 30 * MIN);
    expect(await idle()).toBeGreaterThan(before);
  });

  it('leaves a route marked with passive() alone, also inside nested sub-apps with their own onError', async () => {
    const { app, token, idle, before } = await dueApp((root) => {
      root.get('/poll', passive(), (c) => c.text('ok'));
      const sub = new Hono<SessionEnv>();
      sub.onError((_, c) => c.text('sub failed', 500));
      sub.get('/feed', passive(), (c) => c.text('ok'));
      const inner = new Hono<SessionEnv>();
      inner.onError((_, c) => c.text('inner failed', 500));
      inner.route('/session', sessionRoutes());
      sub.route('/v1', inner);
      root.route('/sub', sub);
    });
    for (const path of ['/poll', '/sub/feed', '/session/status', '/sub/v1/session/status']) {
      expect((await app.request(path, withCookie(token))).status, path).toBe(200);
    }
    expect(await idle()).toBe(before);
  });

  // An <img> another site (SameSite=None) or a sibling subdomain (Lax) points at the app
  // carries the cookie: a page left open there would keep the session alive for ever.
  it("does not count another site's or a sibling subdomain's subresource loads as activity", async () => {
    const { app, token, idle, before } = await dueApp(() => {});
    for (const site of ['cross-site', 'same-site']) {
      const headers = { 'Sec-Fetch-Site': site, 'Sec-Fetch-Mode': 'no-cors' };
      await app.request('/no-such-page', withCookie(token, { headers }));
      await app.request('/read', withCookie(token, { headers }));
    }
    expect(await idle()).toBe(before);
  });

  it('still counts a link the person followed from elsewhere, same-origin loads and clients that say nothing', async () => {
    const cases: Record<string, string>[] = [
      {
        'Sec-Fetch-Site': 'cross-site',
        'Sec-Fetch-Mode': 'navigate',
        'Sec-Fetch-Dest': 'document',
        'Sec-Fetch-User': '?1',
      },
      { 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Mode': 'cors' },
      { 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Mode': 'no-cors' },
      { 'Sec-Fetch-Site': 'none', 'Sec-Fetch-Mode': 'no-cors' },
      { 'Sec-Fetch-Mode': 'no-cors' },
      {},
    ];
    for (const headers of cases) {
      const { app, token, idle, clock } = await dueApp(() => {});
      await app.request('/read', withCookie(token, { headers }));
      expect(await idle(), JSON.stringify(headers)).toBe(clock.now() + 30 * MIN);
    }
  });

  // A simple CORS fetch with credentials runs on the server whatever the CORS policy says
  // (the policy only keeps its answer from the page), and a frame or a script's navigation
  // needs nobody there: a page left open on another site (SameSite=None) or a sibling
  // subdomain (Lax) kept the session alive, one request every idle period.
  it("does not count another site's CORS calls, frames or navigations nobody started as activity", async () => {
    const cases: Record<string, string>[] = [
      { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'cors', Origin: 'https://evil.example' },
      { 'Sec-Fetch-Site': 'same-site', 'Sec-Fetch-Mode': 'cors', Origin: 'https://x.app.test' },
      { 'Sec-Fetch-Site': 'same-site', 'Sec-Fetch-Mode': 'navigate', 'Sec-Fetch-Dest': 'iframe' },
      {
        'Sec-Fetch-Site': 'cross-site',
        'Sec-Fetch-Mode': 'navigate',
        'Sec-Fetch-Dest': 'document',
      },
      {
        'Sec-Fetch-Site': 'cross-site',
        'Sec-Fetch-Mode': 'navigate',
        'Sec-Fetch-Dest': 'iframe',
        'Sec-Fetch-User': '?1',
      },
    ];
    for (const headers of cases) {
      const { app, token, idle, before } = await dueApp(() => {});
      await app.request('/read', withCookie(token, { headers }));
      await app.request('/write/k/v', withCookie(token, { method: 'POST', headers }));
      expect(await idle(), JSON.stringify(headers)).toBe(before);
    }
  });

  it('does not count a refused method as activity (405 on GET /session/logout)', async () => {
    const { app, token, idle, before } = await dueApp((root) => {
      root.post('/thing', (c) => c.text('ok')).all('/thing', methodNotAllowed(['POST']));
    });
    expect((await app.request('/session/logout', withCookie(token))).status).toBe(405);
    expect((await app.request('/thing', withCookie(token))).status).toBe(405);
    expect(await idle()).toBe(before);
  });

  it('still touches for the allowed method of a route that has a 405 catch-all', async () => {
    const { app, token, idle, before, clock } = await dueApp((root) => {
      root.get('/things', (c) => c.text('ok')).all('/things', methodNotAllowed(['GET']));
    });
    expect((await app.request('/things', withCookie(token))).status).toBe(200);
    expect(await idle()).toBe(clock.now() + 30 * MIN);
    expect(await idle()).toBeGreaterThan(before);
  });

  it('lets the handler that answers decide: a passive route registered after it does not count', async () => {
    const { app, token, idle, clock } = await dueApp((root) => {
      root.get('/items/:id', (c) => c.text(`item ${c.req.param('id')}`));
      root.get('/items/*', passive(), (c) => c.text('never reached'));
    });
    expect(await (await app.request('/items/7', withCookie(token))).text()).toBe('item 7');
    expect(await idle()).toBe(clock.now() + 30 * MIN);
  });

  it('touches after the handler for other methods, so markPassive() there still holds it back', async () => {
    const { app, token, idle, before, clock } = await dueApp((root) => {
      root.post('/refused', (c) => {
        c.var.session.markPassive();
        return c.text('no', 403);
      });
      root.post('/ok', (c) => c.text('ok'));
    });
    await app.request('/refused', withCookie(token, { method: 'POST' }));
    expect(await idle()).toBe(before);
    await app.request('/ok', withCookie(token, { method: 'POST' }));
    expect(await idle()).toBe(clock.now() + 30 * MIN);
  });

  it('warns once when a GET handler calls markPassive() after its read already touched', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const { app, token, clock } = await dueApp((root) => {
        root.get('/late', (c) => {
          c.var.session.markPassive();
          return c.text('ok');
        });
      });
      await app.request('/late', withCookie(token));
      clock.advance(5 * MIN);
      await app.request('/late', withCookie(token));
      const late = warn.mock.calls.filter(([m]) => String(m).includes('passive()'));
      expect(late).toHaveLength(1);
    } finally {
      warn.mockRestore();
    }
  });
});

describe("origins: the app's own pages on another origin", () => {
  const fromApp = {
    'Sec-Fetch-Site': 'same-site',
    'Sec-Fetch-Mode': 'cors',
    Origin: 'https://app.example.com',
  };

  it('counts their calls as activity, and rotates the token on them when due', async () => {
    const t = testApp({ origins: ['https://app.example.com/'], rotationInterval: 20 * MIN });
    const token = sessionCookie(await t.app.request('/login/ada', { method: 'POST' }))!;
    const { id } = (await (await t.app.request('/read', withCookie(token))).json()) as {
      id: string;
    };
    t.clock.advance(5 * MIN);
    await t.app.request('/read', withCookie(token, { headers: fromApp }));
    expect((await t.manager.get(id))!.idleExpiresAt).toBe(t.clock.now() + 30 * MIN);
    t.clock.advance(20 * MIN);
    const res = await t.app.request('/read', withCookie(token, { headers: fromApp }));
    expect(sessionCookie(res)).not.toBe(token);
    expect(sessionCookie(res)).toBeTruthy();
  });

  it('still leaves the calls of an origin it does not list passive, and unrotated', async () => {
    const t = testApp({ origins: ['https://app.example.com'], rotationInterval: 20 * MIN });
    const token = sessionCookie(await t.app.request('/login/ada', { method: 'POST' }))!;
    const { id } = (await (await t.app.request('/read', withCookie(token))).json()) as {
      id: string;
    };
    const before = (await t.manager.get(id))!.idleExpiresAt;
    t.clock.advance(21 * MIN);
    const other = { ...fromApp, Origin: 'https://blog.example.com' };
    const res = await t.app.request('/read', withCookie(token, { headers: other }));
    expect((await t.manager.get(id))!.idleExpiresAt).toBe(before);
    expect(res.headers.getSetCookie()).toEqual([]);
  });
});

// Chromium sends no Sec-Fetch-* to a URL that is not potentially trustworthy: plain HTTP
// on a host other than localhost (an intranet, a phone on the LAN). The Origin it sends
// on a CORS call or a POST still tells a sibling subdomain apart.
describe('a request without Sec-Fetch-Site', () => {
  const APP = 'http://app.example.test';

  /** Behind a trusted TLS proxy (`proxied`) the cookie is `__Host-lifeline`, over https. */
  async function signedIn(options: Parameters<typeof testApp>[0] = {}, proxied = false) {
    const t = testApp({ rotationInterval: 20 * MIN, ...options });
    const name = proxied ? '__Host-lifeline' : 'lifeline';
    const proto: Record<string, string> = proxied ? { 'X-Forwarded-Proto': 'https' } : {};
    const login = await t.app.request(`${APP}/login/ada`, { method: 'POST', headers: proto });
    const token = sessionCookie(login, name)!;
    const send = (path: string, init: RequestInit = {}) =>
      t.app.request(
        `${APP}${path}`,
        withCookie(token, { ...init, headers: { ...proto, ...(init.headers as object) } }, name),
      );
    const { id } = (await (await send('/read')).json()) as { id: string };
    const idle = async () => (await t.manager.get(id))!.idleExpiresAt;
    return { ...t, token, name, send, idle, before: await idle() };
  }

  it("is passive, and does not rotate, when its Origin is another site's", async () => {
    const { clock, send, idle, before } = await signedIn();
    clock.advance(21 * MIN);
    const headers = { Origin: 'http://evil.example.test', 'Content-Type': 'text/plain' };
    const res = await send('/write/k/v', { method: 'POST', headers });
    const read = await send('/read', { headers });
    expect(await idle()).toBe(before);
    expect([...res.headers.getSetCookie(), ...read.headers.getSetCookie()]).toEqual([]);
  });

  it('counts, and rotates, when its Origin is its own, a listed one, or the one a trusted proxy says', async () => {
    const cases: [Parameters<typeof testApp>[0], boolean, string][] = [
      [{}, false, APP],
      [{ origins: ['http://www.example.test'] }, false, 'http://www.example.test'],
      [{ trustProxy: true }, true, 'https://app.example.test'],
      // Written by hand (a non-browser client), or `null` (Referrer-Policy: no-referrer).
      [{}, false, 'http://APP.example.test:80'],
      [{}, false, 'null'],
    ];
    for (const [options, proxied, origin] of cases) {
      const { clock, send, idle, token, name } = await signedIn(options, proxied);
      clock.advance(21 * MIN);
      const res = await send('/read', { headers: { Origin: origin } });
      expect(await idle(), origin).toBe(clock.now() + 30 * MIN);
      expect(sessionCookie(res, name), origin).not.toBe(token);
      expect(sessionCookie(res, name), origin).toBeTruthy();
    }
  });
});
