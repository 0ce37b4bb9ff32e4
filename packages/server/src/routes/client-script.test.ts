import type { MiddlewareHandler } from 'hono';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { DEADLINE_HEADER } from '../contract/protocol.js';
import { problemSchema } from '../contract/schemas.js';
import { countingStore } from '../session/app.fixture.js';
import type { SessionEnv } from '../session/types.js';
import { memoryStore } from '../store/memory/index.js';
import { Browser, routesTestApp, signedIn, switchableStore } from './test-app.fixture.js';

const SCRIPT = '(()=>{window.lifeline=1})();';

describe('GET /session/client.js', () => {
  it('is a 404 problem until a bundle is configured, never cached', async () => {
    const res = await new Browser(routesTestApp().app).get('/session/client.js');
    expect(res.status).toBe(404);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.headers.get('ETag')).toBeNull();
    expect(await res.json()).toEqual({
      type: 'urn:lifeline:problem:invalid_request',
      title: 'Invalid request',
      status: 404,
      code: 'invalid_request',
      detail: 'no client bundle is configured',
    });
  });

  it('serves the bundle as JavaScript with a strong ETag and no-cache', async () => {
    const { app } = routesTestApp({ routes: { clientScript: SCRIPT } });
    const res = await new Browser(app).get('/session/client.js');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(SCRIPT);
    expect(res.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('Cache-Control')).toBe('no-cache');
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.headers.get('ETag')).toMatch(/^"[A-Za-z0-9_-]{20,}"$/);
  });

  it('answers 304 when If-None-Match holds the current ETag, weak or in a list', async () => {
    const { app } = routesTestApp({ routes: { clientScript: SCRIPT } });
    const browser = new Browser(app);
    const etag = (await browser.get('/session/client.js')).headers.get('ETag')!;
    for (const header of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const res = await browser.send('GET', '/session/client.js', {
        headers: { 'If-None-Match': header },
      });
      expect(res.status).toBe(304);
      expect(await res.text()).toBe('');
      expect(res.headers.get('ETag')).toBe(etag);
    }
    const stale = await browser.send('GET', '/session/client.js', {
      headers: { 'If-None-Match': '"stale"' },
    });
    expect(stale.status).toBe(200);
  });

  it('gives different bundles different ETags', async () => {
    const a = routesTestApp({ routes: { clientScript: SCRIPT } });
    const b = routesTestApp({ routes: { clientScript: `${SCRIPT};` } });
    const etagA = (await new Browser(a.app).get('/session/client.js')).headers.get('ETag');
    const etagB = (await new Browser(b.app).get('/session/client.js')).headers.get('ETag');
    expect(etagA).not.toBe(etagB);
  });

  it('loads a bundle function once, and retries it after a failure', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    onTestFinished(() => logged.mockRestore());
    let calls = 0;
    const clientScript = async () => {
      calls += 1;
      if (calls === 1) throw new Error('not built yet');
      return SCRIPT;
    };
    const browser = new Browser(routesTestApp({ routes: { clientScript } }).app);
    const failed = await browser.get('/session/client.js');
    expect(failed.status).toBe(503);
    expect(failed.headers.get('Content-Type')).toBe('application/problem+json');
    // A 503 must not be cached: the next request retries the load.
    expect(failed.headers.get('Cache-Control')).toBe('no-store');
    expect(failed.headers.get('Retry-After')).toBe('5');
    expect(failed.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(failed.headers.get('ETag')).toBeNull();
    // The new code is part of the contract's schema, not just of this route.
    expect(problemSchema.parse(await failed.json())).toMatchObject({
      type: 'urn:lifeline:problem:client_script_unavailable',
      status: 503,
      code: 'client_script_unavailable',
    });
    expect((await browser.get('/session/client.js')).status).toBe(200);
    expect((await browser.get('/session/client.js')).status).toBe(200);
    expect(calls).toBe(2);
  });

  it('answers 503 to a bundle function that gives nothing or empty text, says why once, and tries again', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    onTestFinished(() => logged.mockRestore());
    const answers: unknown[] = [undefined, '', '  \n', new Uint8Array([59]), SCRIPT];
    const clientScript = (async () => answers.shift()) as () => Promise<string>;
    const browser = new Browser(routesTestApp({ routes: { clientScript } }).app);
    for (let i = 0; i < 4; i++) {
      const res = await browser.get('/session/client.js');
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ code: 'client_script_unavailable' });
    }
    // Once, not once a request: the cause, for whoever reads the logs.
    expect(logged.mock.calls).toHaveLength(1);
    expect(String(logged.mock.calls[0]?.[0])).toContain('could not load the bundle');
    expect(String(logged.mock.calls[0]?.[1])).toContain('loaded empty or not as text');
    const loaded = await browser.get('/session/client.js');
    expect(loaded.status).toBe(200);
    expect(await loaded.text()).toBe(SCRIPT);
  });

  it('answers 503 to a load that does not settle within 2 s, says why once, and the next request loads again', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    onTestFinished(() => {
      vi.useRealTimers();
      logged.mockRestore();
    });
    let calls = 0;
    // The first load stalls for good (a network file system or CDN that never answers).
    const clientScript = () => (++calls === 1 ? new Promise<string>(() => {}) : SCRIPT);
    const browser = new Browser(routesTestApp({ routes: { clientScript } }).app);
    const stalled = [browser.get('/session/client.js'), browser.get('/session/client.js')];
    await vi.advanceTimersByTimeAsync(2_000);
    for (const res of await Promise.all(stalled)) {
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ code: 'client_script_unavailable' });
    }
    // Once for the two waits cut short, naming the limit: a stall is no silent 503.
    expect(logged.mock.calls).toHaveLength(1);
    expect(String(logged.mock.calls[0]?.[0])).toContain('could not load the bundle');
    expect(String(logged.mock.calls[0]?.[1])).toContain('did not load within 2000 ms');
    expect((await browser.get('/session/client.js')).status).toBe(200);
    expect(calls).toBe(2);
    expect(logged.mock.calls).toHaveLength(1);
  });

  // Real time: the load's last step (its ETag's digest) is no timer a fake clock can run.
  it('keeps a slow load that succeeds after the wait was cut short, and serves it', async () => {
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    let calls = 0;
    // A cold CDN or a slow file system: every load takes 2.2 s.
    const clientScript = async () => {
      calls++;
      await sleep(2_200);
      return SCRIPT;
    };
    const browser = new Browser(routesTestApp({ routes: { clientScript } }).app);
    expect((await browser.get('/session/client.js')).status).toBe(503); // after 2 s
    await sleep(600);
    expect((await browser.get('/session/client.js')).status).toBe(200);
    expect(calls).toBe(1);
  });

  it('is no session response: no deadline header, no cookie, no touch, no rotation', async () => {
    const { browser, clock, events } = await signedIn({ routes: { clientScript: SCRIPT } });
    const idle = async () =>
      ((await (await browser.get('/session/status')).json()) as { idleExpiresAt: number })
        .idleExpiresAt;
    const before = await idle();
    // Past the touch interval (3 min) and the rotation interval (15 min): both are due.
    clock.advance(16 * 60_000);
    const cookies = new Map(browser.cookies);
    const eventCount = events.length;
    for (const [method, headers] of [
      ['GET', {}],
      ['GET', { 'If-None-Match': '*' }],
      ['HEAD', {}],
    ] as const) {
      const res = await browser.send(method, '/session/client.js', { headers });
      expect(res.status).toBeLessThan(400);
      // One person's deadlines at one moment must not ride on a revalidated, shareable script.
      expect(res.headers.get(DEADLINE_HEADER)).toBeNull();
      expect(res.headers.getSetCookie()).toEqual([]);
      expect(res.headers.get('Cache-Control')).toBe('no-cache');
    }
    expect(browser.cookies).toEqual(cookies);
    expect(events.slice(eventCount)).toEqual([]);
    expect(await idle()).toBe(before);
  });

  it('is served while the session store is down', async () => {
    const outage = switchableStore();
    const { browser } = await signedIn({
      routes: { clientScript: SCRIPT },
      store: outage.store,
    });
    outage.set(true);
    // The page's SDK must load to report the outage and recover from it on its own.
    const res = await browser.get('/session/client.js');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(SCRIPT);
    expect((await browser.get('/session/status')).status).toBe(503);
  });
});

describe('c.var.session on GET /session/client.js', () => {
  /** A signed-in, remembered browser, and app middleware on every path recording what it saw. */
  async function withAppMiddleware(appMiddleware: MiddlewareHandler<SessionEnv>) {
    let counting: ReturnType<typeof countingStore> | undefined;
    const t = await signedIn(
      {
        routes: { clientScript: SCRIPT },
        appMiddleware,
        store: (clock) => {
          counting = countingStore(memoryStore({ now: clock.now }));
          return counting.store;
        },
      },
      '?remember=1',
    );
    const storeCalls = () => Object.values(counting!.calls).reduce((a, b) => a + b, 0);
    return { ...t, storeCalls };
  }

  it('is a visitor without a cookie for app middleware that reads it, built without the store', async () => {
    const seen: unknown[] = [];
    const { browser, storeCalls } = await withAppMiddleware(async (c, next) => {
      // Typed as always present: an app reads it without `?.`.
      const s = c.var.session;
      seen.push({ state: s.state, reason: s.reason, userId: s.userId, canReauth: s.canReauth });
      c.header('X-Signed-In', s.state === 'active' ? '1' : '0');
      await next();
    });
    expect((await browser.get('/touch')).headers.get('X-Signed-In')).toBe('1');
    const calls = storeCalls();
    const res = await browser.get('/session/client.js');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(SCRIPT);
    // The same for everyone: the signed-in browser's own session and credential do not show.
    expect(res.headers.get('X-Signed-In')).toBe('0');
    expect(seen.at(-1)).toEqual({
      state: 'none',
      reason: 'missing',
      userId: null,
      canReauth: false,
    });
    expect(storeCalls()).toBe(calls);
    expect(res.headers.get(DEADLINE_HEADER)).toBeNull();
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('refuses every write with an error naming the route, and none reaches the response or the store', async () => {
    const refusals: string[] = [];
    const { browser, clock, events, storeCalls } = await withAppMiddleware(async (c, next) => {
      const s = c.var.session;
      if (c.req.path === '/session/client.js') {
        const attempts: (() => unknown)[] = [
          () => s.set('lastPage', c.req.path),
          () => s.regenerate({ userId: 'u2' }),
          () => s.destroy(),
          () => s.reauthenticate(),
          () => s.linkCredential('credential'),
        ];
        for (const attempt of attempts) {
          try {
            await attempt();
          } catch (error) {
            refusals.push((error as Error).message);
          }
        }
        // As on any request without a session: nothing to read, delete, extend or hold back.
        s.delete('lastPage');
        s.extend();
        s.markPassive();
        c.header('X-Last-Page', String(s.get('lastPage') ?? 'none'));
      }
      await next();
    });
    clock.advance(16 * 60_000); // a touch and a rotation are due
    const calls = storeCalls();
    const eventCount = events.length;
    const res = await browser.get('/session/client.js');
    expect(refusals).toEqual(
      ['set', 'regenerate', 'destroy', 'reauthenticate', 'linkCredential'].map(
        (method) =>
          `lifeline: session.${method}() on GET /session/client.js, which is outside the session (the same answer for everyone): it cannot set a cookie or write the store there`,
      ),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('X-Last-Page')).toBe('none');
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(res.headers.get(DEADLINE_HEADER)).toBeNull();
    expect(res.headers.get('Clear-Site-Data')).toBeNull();
    expect(res.headers.get('Cache-Control')).toBe('no-cache');
    expect(storeCalls()).toBe(calls);
    expect(events.slice(eventCount)).toEqual([]);
    // The browser's session and remember-me credential are as they were.
    expect(await (await browser.get('/session/status')).json()).toMatchObject({
      state: 'active',
      canReauth: true,
    });
  });

  it('answers a write the app does not catch with a 500, never a session response', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    onTestFinished(() => logged.mockRestore());
    const { browser } = await withAppMiddleware(async (c, next) => {
      c.var.session.set('visits', 1);
      await next();
    });
    const res = await browser.get('/session/client.js');
    expect(res.status).toBe(500);
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(res.headers.get(DEADLINE_HEADER)).toBeNull();
    expect(String(logged.mock.calls[0]?.[0])).toContain('GET /session/client.js');
  });
});
