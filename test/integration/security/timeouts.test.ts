import { parseDeadlineHeader } from '@lifeline/server/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, MINUTE, type Reply, sidOf, startServer, type TestServer } from './harness.js';

const IDLE = 10 * MINUTE;
const ABSOLUTE = 60 * MINUTE;
const TOUCH = MINUTE; // idle / 10, the default
const ROTATE = 15 * MINUTE;

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer({
    session: { idleTimeout: IDLE, absoluteTimeout: ABSOLUTE, rotationInterval: ROTATE },
  });
});
afterAll(() => srv.close());

/** Follows rotations like a browser: keeps the latest cookie. */
function jar(token: string) {
  let current = token;
  return {
    get token() {
      return current;
    },
    async send(path: string, init: Parameters<TestServer['send']>[1] = {}): Promise<Reply> {
      const res = await srv.send(path, { ...init, token: current });
      if (res.token) current = res.token;
      return res;
    },
  };
}

const status = async (token: string) => (await srv.send('/session/status', { token })).json;

describe('Timeouts and the status/extend contract', () => {
  it('7.3.1 / item 20: after the idle timeout the next request gets 401 session_expired (idle-timeout) although the cookie is still sent', async () => {
    const token = await login(srv, 'idle');
    srv.clock.advance(IDLE - 1);
    expect((await srv.send('/api/me', { token })).status).toBe(200);
    srv.clock.advance(IDLE);
    const res = await srv.send('/api/me', { token });
    expect(res.status).toBe(401);
    expect(res.headers.get('Content-Type')).toMatch(/application\/problem\+json/);
    expect(res.json).toMatchObject({ code: 'session_expired', reason: 'idle-timeout' });
    // The cookie keeps being refused: it is the server record that ended.
    expect((await srv.send('/api/me', { token })).json.code).toBe('session_expired');
  });

  it('item 20 / 24 / 42: a session idle for longer than its absolute timeout still ends for idleness (a laptop closed overnight)', async () => {
    const token = await login(srv, 'overnight');
    const events = srv.events.length;
    srv.clock.advance(ABSOLUTE);
    const res = await srv.send('/api/me', { token });
    expect(res.json).toMatchObject({ code: 'session_expired', reason: 'idle-timeout' });
    expect(srv.events.slice(events)).toContainEqual(
      expect.objectContaining({ type: 'expired', reason: 'idle-timeout' }),
    );
    expect(await status(token)).toMatchObject({ state: 'none', reason: 'idle-timeout' });
  });

  it('7.3.2 / item 21: with a request every idle/2 the session still ends at created + absolute (absolute-timeout)', async () => {
    const created = srv.clock.now();
    const browser = jar(await login(srv, 'busy'));
    while (srv.clock.now() + IDLE / 2 < created + ABSOLUTE) {
      srv.clock.advance(IDLE / 2);
      expect((await browser.send('/api/me')).status).toBe(200);
    }
    srv.clock.advance(created + ABSOLUTE - 1 - srv.clock.now());
    expect((await browser.send('/api/me')).status).toBe(200);
    srv.clock.advance(1);
    const end = await browser.send('/api/me');
    expect(end.status).toBe(401);
    expect(end.json).toMatchObject({ code: 'session_expired', reason: 'absolute-timeout' });
    expect(await status(browser.token)).toMatchObject({
      state: 'none',
      reason: 'absolute-timeout',
    });
  });

  it('item 22: POST /extend moves idleExpiresAt forward but never past absoluteExpiresAt', async () => {
    const created = srv.clock.now();
    const browser = jar(await login(srv, 'extender'));
    srv.clock.advance(5 * MINUTE);
    const first = await browser.send('/session/extend', { method: 'POST', sameOrigin: true });
    expect(first.status).toBe(200);
    expect(first.json.idleExpiresAt).toBe(srv.clock.now() + IDLE);
    expect(first.json.absoluteExpiresAt).toBe(created + ABSOLUTE);
    // Keep extending up to the end: the idle deadline is capped by the absolute one.
    while (srv.clock.now() < created + ABSOLUTE - MINUTE) {
      srv.clock.advance(Math.min(5 * MINUTE, created + ABSOLUTE - MINUTE - srv.clock.now()));
      const r = await browser.send('/session/extend', { method: 'POST', sameOrigin: true });
      expect(r.status).toBe(200);
      expect(r.json.idleExpiresAt as number).toBeLessThanOrEqual(created + ABSOLUTE);
    }
    const last = await status(browser.token);
    expect(last.idleExpiresAt).toBe(created + ABSOLUTE);
    expect(last.absoluteExpiresAt).toBe(created + ABSOLUTE);
  });

  it('item 23: repeated GET /status keeps idleExpiresAt constant, remaining time falls, last activity unchanged; passive routes too', async () => {
    const token = await login(srv, 'poller');
    const sid = (await sidOf(srv, token)) as string;
    const before = await srv.manager.get(sid);
    const first = await status(token);
    let remaining = (first.idleExpiresAt as number) - (first.now as number);
    for (let i = 0; i < 6; i++) {
      srv.clock.advance(TOUCH + 1); // each step past the touch interval
      const passive = await srv.send(i % 3 === 0 ? '/session/status' : '/api/passive', {
        token,
      });
      expect(passive.status).toBe(200);
      const headerMarked = await srv.send('/api/data', {
        token,
        headers: { 'Session-Passive': '1' },
      });
      expect(headerMarked.status).toBe(200);
      const s = await status(token);
      expect(s.idleExpiresAt).toBe(first.idleExpiresAt);
      const left = (s.idleExpiresAt as number) - (s.now as number);
      expect(left).toBeLessThan(remaining);
      remaining = left;
    }
    const after = await srv.manager.get(sid);
    expect(after?.lastActiveAt).toBe(before?.lastActiveAt);
    expect(after?.idleExpiresAt).toBe(before?.idleExpiresAt);
  });

  it('item 24: GET /status reports now, deadlines, idleTimeoutMs, canReauth and no secrets; state none with the right reason after each ending', async () => {
    const token = await login(srv, 'reporter');
    const live = await srv.send('/session/status', { token });
    expect(Object.keys(live.json).sort()).toEqual(
      [
        'absoluteExpiresAt',
        'canReauth',
        'idleExpiresAt',
        'idleTimeoutMs',
        'now',
        'state',
        'user',
      ].sort(),
    );
    expect(live.json).toMatchObject({
      state: 'active',
      now: srv.clock.now(),
      idleTimeoutMs: IDLE,
      canReauth: false,
      user: { name: 'reporter' },
    });
    const sid = (await sidOf(srv, token)) as string;
    const record = await srv.manager.get(sid);
    for (const secret of [token, sid, record?.tokenHash ?? '']) {
      expect(live.text).not.toContain(secret);
    }
    const endings: Array<[string, () => Promise<string>]> = [
      ['missing', async () => ''],
      [
        'idle-timeout',
        async () => {
          const t = await login(srv, 'r1');
          srv.clock.advance(IDLE);
          return t;
        },
      ],
      [
        'absolute-timeout',
        async () => {
          const b = jar(await login(srv, 'r2'));
          for (let i = 0; i < ABSOLUTE / (IDLE / 2); i++) {
            srv.clock.advance(IDLE / 2);
            await b.send('/api/data');
          }
          return b.token;
        },
      ],
      [
        'revoked',
        async () => {
          const t = await login(srv, 'r3');
          await srv.manager.revoke((await sidOf(srv, t)) as string);
          return t;
        },
      ],
      [
        'logged-out',
        async () => {
          const t = await login(srv, 'r4');
          await srv.send('/session/logout', { method: 'POST', token: t, sameOrigin: true });
          return t;
        },
      ],
    ];
    for (const [reason, end] of endings) {
      const t = await end();
      const s = await srv.send('/session/status', { token: t || null });
      expect(s.json, reason).toEqual({
        state: 'none',
        reason,
        now: srv.clock.now(),
        idleTimeoutMs: IDLE,
        canReauth: false,
      });
    }
  });

  it('item 25: every response through the middleware with a live session carries Session-Deadline, matching /status', async () => {
    const browser = jar(await login(srv, 'header'));
    const paths: Array<[string, Parameters<TestServer['send']>[1]]> = [
      ['/api/data', {}],
      ['/api/me', {}],
      ['/api/broken', {}], // an app error response
      ['/no-such-route', {}], // a 404
      ['/visit', { method: 'POST' }],
      ['/session/extend', { method: 'POST', sameOrigin: true }],
      ['/go', {}], // a redirect
      ['/session/status', {}],
    ];
    for (const [path, init] of paths) {
      srv.clock.advance(ROTATE / 4); // touches, slides and a rotation on the way
      const res = await browser.send(path, init);
      const header = parseDeadlineHeader(res.headers.get('Session-Deadline'));
      expect(header, path).not.toBeNull();
      const s = await status(browser.token);
      expect(header, path).toEqual({
        idle: s.idleExpiresAt,
        absolute: s.absoluteExpiresAt,
        now: s.now,
      });
    }
    // And none once the session is gone.
    await browser.send('/session/logout', { method: 'POST', sameOrigin: true });
    expect((await srv.send('/api/data')).headers.get('Session-Deadline')).toBeNull();
  });

  it('item 26: K ordinary requests inside one throttle interval cause at most one store write', async () => {
    const token = await login(srv, 'throttled');
    srv.store.reset();
    for (let i = 0; i < 20; i++) {
      srv.clock.advance(TOUCH / 40); // 20 requests inside half a touch interval
      expect((await srv.send('/api/data', { token })).status).toBe(200);
    }
    expect(srv.store.writes()).toBe(0);
    expect(srv.store.reads()).toBe(20); // one read each
    expect(srv.store.calls).toHaveLength(20);
    srv.clock.advance(TOUCH); // now a touch is due
    srv.store.reset();
    for (let i = 0; i < 20; i++) {
      expect((await srv.send('/api/data', { token })).status).toBe(200);
      srv.clock.advance(TOUCH / 40);
    }
    expect(srv.store.writes()).toBe(1);
    // The touch rode on its request's read: still one store call per request.
    expect(srv.store.calls).toHaveLength(20);
    expect(srv.store.calls.filter((c) => c.touched)).toHaveLength(1);
  });

  it('item 26: K ordinary requests sent at once, GETs or POSTs, write a due touch once', async () => {
    for (const method of ['GET', 'POST']) {
      const token = await login(srv, `parallel-${method}`);
      srv.clock.advance(TOUCH); // a touch is due
      srv.store.reset();
      // A page's parallel calls (an ordinary handler that neither reads nor writes the
      // session), each held in its handler until all have read the session.
      const gates = Array.from({ length: 8 }, (_, i) => srv.gate(`${method}${i}`));
      const sending = gates.map((_, i) =>
        srv.send(`/slow/${method}${i}?write=0`, { method, token, sameOrigin: true }),
      );
      await Promise.all(gates.map((g) => g.entered));
      for (const g of gates) g.open();
      const replies = await Promise.all(sending);
      expect(replies.map((r) => r.status)).toEqual(Array(8).fill(200));
      expect(srv.store.writes(), method).toBe(1);
      expect((await status(token)).idleExpiresAt).toBe(srv.clock.now() + IDLE);
    }
  });

  it('item 27: deadlines come from the server clock; client-supplied times and cookie attributes cannot lengthen a session', async () => {
    const t0 = srv.clock.now();
    const token = await login(srv, 'clock');
    const future = new Date(t0 + 365 * 24 * 60 * MINUTE);
    const tricks: Parameters<TestServer['send']>[1][] = [
      { headers: { Date: future.toUTCString(), 'X-Now': String(future.getTime()) } },
      { cookies: [`Max-Age=999999999`, `Expires=${future.toUTCString()}`] },
      {
        method: 'POST',
        sameOrigin: true,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ now: future.getTime(), idleExpiresAt: future.getTime() }),
      },
    ];
    for (const init of tricks) {
      const path = init?.method === 'POST' ? '/session/extend' : '/session/status';
      const res = await srv.send(`${path}?now=${future.getTime()}`, { ...init, token });
      expect(res.status).toBeLessThan(500);
      const s = await status(token);
      expect(s.now).toBe(t0);
      expect(s.idleExpiresAt).toBe(t0 + IDLE);
      expect(s.absoluteExpiresAt).toBe(t0 + ABSOLUTE);
    }
    // The cookie's own Max-Age (the absolute deadline plus one idle period) is not what ends
    // the session:
    srv.clock.advance(IDLE);
    expect((await srv.send('/api/me', { token })).json.code).toBe('session_expired');
  });
});
