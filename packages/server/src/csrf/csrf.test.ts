import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { session } from '../session/middleware.js';
import type { SessionEnv } from '../session/types.js';
import { memoryStore } from '../store/memory/index.js';
import { manualClock } from '../testing/clock.js';
import type { CsrfGuardOptions } from './csrf.js';
import { csrfGuard } from './csrf.js';

const ORIGIN = 'https://app.test';

function appWith(options?: CsrfGuardOptions) {
  const app = new Hono();
  app.use(csrfGuard(options));
  app.all('/act', (c) => c.text('done'));
  return app;
}

function post(app: Hono, headers: Record<string, string>, body = '{}') {
  return app.request(`${ORIGIN}/act`, { method: 'POST', headers, body });
}

async function expectRejected(res: Response) {
  expect(res.status).toBe(403);
  expect(res.headers.get('Content-Type')).toBe('application/problem+json');
  expect(await res.json()).toMatchObject({ code: 'csrf_rejected', status: 403 });
}

describe('csrfGuard', () => {
  const json = { 'Content-Type': 'application/json' };

  it('accepts a same-origin JSON post', async () => {
    const res = await post(appWith(), { ...json, 'Sec-Fetch-Site': 'same-origin', Origin: ORIGIN });
    expect(res.status).toBe(200);
  });

  it('accepts a same-origin post marked with Session-Request: 1 whatever its body', async () => {
    const headers = { 'Sec-Fetch-Site': 'same-origin', 'Session-Request': '1' };
    expect((await post(appWith(), headers, '')).status).toBe(200);
  });

  it('rejects Sec-Fetch-Site: cross-site even with a JSON body and the marker header', async () => {
    const headers = { ...json, 'Session-Request': '1', 'Sec-Fetch-Site': 'cross-site' };
    await expectRejected(await post(appWith(), { ...headers, Origin: 'https://evil.test' }));
  });

  it('rejects Sec-Fetch-Site: same-site (a sibling subdomain is not this origin)', async () => {
    await expectRejected(await post(appWith(), { ...json, 'Sec-Fetch-Site': 'same-site' }));
  });

  it('rejects a foreign Origin when the browser sends no Sec-Fetch-Site', async () => {
    await expectRejected(await post(appWith(), { ...json, Origin: 'https://evil.test' }));
  });

  it('rejects the opaque Origin "null" (sandboxed frames, data: URLs)', async () => {
    await expectRejected(await post(appWith(), { ...json, Origin: 'null' }));
  });

  it('accepts a matching Origin when Sec-Fetch-Site is absent', async () => {
    expect((await post(appWith(), { ...json, Origin: ORIGIN })).status).toBe(200);
  });

  it('rejects a request with neither Origin nor Sec-Fetch-Site unless configured', async () => {
    await expectRejected(await post(appWith(), json));
    expect((await post(appWith({ allowMissingOrigin: true }), json)).status).toBe(200);
  });

  it('rejects a same-origin simple form post without the marker header', async () => {
    const form = { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN };
    await expectRejected(
      await post(appWith(), { ...form, 'Sec-Fetch-Site': 'same-origin' }, 'a=1'),
    );
  });

  it('rejects text/plain bodies, the classic way to smuggle JSON past a form check', async () => {
    const headers = { 'Content-Type': 'text/plain', 'Sec-Fetch-Site': 'same-origin' };
    await expectRejected(await post(appWith(), headers, '{"a":1}'));
  });

  it('with allowForms accepts a same-origin form but still rejects a cross-site one', async () => {
    const app = appWith({ allowForms: true });
    const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
    const same = await post(app, { ...form, 'Sec-Fetch-Site': 'same-origin' }, 'a=1');
    expect(same.status).toBe(200);
    await expectRejected(await post(app, { ...form, 'Sec-Fetch-Site': 'cross-site' }, 'a=1'));
    await expectRejected(await post(app, { ...form, Origin: 'https://evil.test' }, 'a=1'));
  });

  it('admits an allowed foreign origin, also when the browser calls it cross-site', async () => {
    const app = appWith({ origins: ['https://admin.test'] });
    const headers = { ...json, Origin: 'https://admin.test' };
    expect((await post(app, headers)).status).toBe(200);
    expect((await post(app, { ...headers, 'Sec-Fetch-Site': 'cross-site' })).status).toBe(200);
  });

  it('does not check safe methods', async () => {
    const res = await appWith().request(`${ORIGIN}/act`, {
      headers: { 'Sec-Fetch-Site': 'cross-site' },
    });
    expect(res.status).toBe(200);
  });

  it('checks every unsafe method, not only POST', async () => {
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const res = await appWith().request(`${ORIGIN}/act`, {
        method,
        headers: { ...json, 'Sec-Fetch-Site': 'cross-site' },
      });
      expect(res.status).toBe(403);
    }
  });

  it('reports each rejection to onReject with its reason', async () => {
    const reasons: string[] = [];
    const app = appWith({ onReject: (_c, reason) => reasons.push(reason) });
    await post(app, { ...json, Origin: 'https://evil.test' });
    expect(reasons).toEqual(['Origin is not allowed']);
  });

  it('behind a trusted TLS proxy compares Origin with the client-facing https scheme', async () => {
    const app = new Hono();
    app.use(csrfGuard({ trustProxy: true }));
    app.post('/act', (c) => c.text('done'));
    const headers = { ...json, Origin: ORIGIN, 'X-Forwarded-Proto': 'https' };
    // The proxy forwards plain http; the browser's Origin says https.
    const res = await app.request('http://app.test/act', { method: 'POST', headers, body: '{}' });
    expect(res.status).toBe(200);
    const untrusted = await appWith().request('http://app.test/act', {
      method: 'POST',
      headers,
      body: '{}',
    });
    await expectRejected(untrusted);
  });

  it('follows session({ trustProxy: true }) when it has no trustProxy of its own', async () => {
    const behind = (trustProxy: boolean) => {
      const app = new Hono<SessionEnv>();
      app.use(session({ trustProxy }));
      app.post('/act', csrfGuard(), (c) => c.text('done'));
      return app;
    };
    const init = {
      method: 'POST',
      headers: { ...json, Origin: ORIGIN, 'X-Forwarded-Proto': 'https' },
      body: '{}',
    };
    expect((await behind(true).request('http://app.test/act', init)).status).toBe(200);
    await expectRejected(await behind(false).request('http://app.test/act', init));
  });

  it('a rejected request does not extend the session it carried', async () => {
    const clock = manualClock();
    const app = new Hono<SessionEnv>();
    app.use(session({ now: clock.now, store: memoryStore({ now: clock.now }) }));
    app.post('/login', async (c) => {
      await c.var.session.regenerate({ userId: 'ada' });
      return c.text('ok');
    });
    app.post('/act', csrfGuard(), (c) => c.text('done'));
    const login = await app.request(`${ORIGIN}/login`, { method: 'POST' });
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    const deadline = (res: Response) => res.headers.get('Session-Deadline');
    const before = deadline(login);
    clock.advance(10 * 60_000); // a touch would be due
    const forged = await app.request(`${ORIGIN}/act`, {
      method: 'POST',
      headers: { Cookie: cookie, 'Sec-Fetch-Site': 'cross-site', ...json },
      body: '{}',
    });
    await expectRejected(forged);
    expect(deadline(forged)?.split(',').slice(0, 2)).toEqual(before?.split(',').slice(0, 2));
  });

  it('refuses an origins entry that is not a bare origin, naming the option', () => {
    expect(() => csrfGuard({ origins: ['https://app.test/path'] })).toThrow(/origins/);
    expect(() => csrfGuard({ origins: ['not a url'] })).toThrow(/origins/);
    expect(() => csrfGuard({ origins: ['https://app.test/?'] })).toThrow(/origins/);
    expect(() => csrfGuard({ origins: ['https://user@app.test'] })).toThrow(/origins/);
  });

  it('takes an origin written with its default port as that origin (https://host[:port])', async () => {
    const guard = csrfGuard({ origins: ['https://app.test:443', 'http://other.test:80/'] });
    const app = new Hono().post('/x', guard, (c) => c.text('ok'));
    for (const origin of ['https://app.test', 'http://other.test']) {
      const res = await app.request('http://localhost/x', {
        method: 'POST',
        headers: { Origin: origin, 'Session-Request': '1' },
      });
      expect(res.status).toBe(200);
    }
  });

  it('refuses options of the wrong type or name at start-up, instead of loosening the guard', () => {
    // The string 'false' is truthy: accepted, it would let cross-site forms through.
    expect(() => csrfGuard({ allowForms: 'false' as never })).toThrow(
      'csrfGuard: `allowForms` must be a boolean',
    );
    expect(() => csrfGuard({ allowMissingOrigins: true } as never)).toThrow(
      'csrfGuard: `allowMissingOrigins` is not an option',
    );
    expect(() => csrfGuard({ origins: 'https://app.test' as never })).toThrow(
      '`origins` must be an array',
    );
    expect(() => csrfGuard({ onReject: true as never })).toThrow('`onReject` must be a function');
  });
});
