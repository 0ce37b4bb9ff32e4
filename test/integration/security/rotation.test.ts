import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  login,
  MINUTE,
  SECOND,
  type SendInit,
  sidOf,
  startServer,
  type TestServer,
} from './harness.js';

const ROTATE = 15 * MINUTE;
const GRACE = 10 * SECOND;

function forged(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
}

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer({
    session: { rotationInterval: ROTATE, rotationGrace: GRACE, idleTimeout: 30 * MINUTE },
  });
});
afterAll(() => srv.close());

/** Is `token` a live session right now? */
async function alive(token: string, on = srv): Promise<boolean> {
  return (await on.send('/api/data', { token })).json.state === 'active';
}

describe('Creation, rotation, fixation', () => {
  it('item 12: a request that never writes gets no Set-Cookie and creates no store record', async () => {
    srv.store.reset();
    for (const path of ['/api/data', '/session/status', '/api/passive', '/api/me', '/go']) {
      const res = await srv.send(path);
      expect(res.setCookies, path).toEqual([]);
    }
    await srv.send('/api/data', { token: forged() }); // an unknown cookie does not create one either
    expect(srv.store.writes()).toBe(0);
    expect(srv.store.count('create')).toBe(0);
  });

  it('7.2.4 / item 13: after login the ID is new and the pre-login ID is dead at once, with no grace', async () => {
    const anon = (await srv.send('/visit', { method: 'POST' })).token as string;
    expect(await alive(anon)).toBe(true);
    const res = await srv.send('/login/alice', { method: 'POST', token: anon });
    expect(res.token).toMatch(/^[\w-]{43}$/);
    expect(res.token).not.toBe(anon);
    // Not a byte of the old token survives into the new one (not even the family).
    const a = Buffer.from(anon, 'base64url');
    const b = Buffer.from(res.token as string, 'base64url');
    expect(a.subarray(0, 16).equals(b.subarray(0, 16))).toBe(false);
    // Same instant: no grace window for a login.
    expect(await alive(anon)).toBe(false);
    const late = await srv.send('/api/me', { token: anon });
    expect(late.status).toBe(401);
    expect(late.token).toBeUndefined(); // nor does the old cookie get the new one
    expect(await alive(res.token as string)).toBe(true);
    // Data carried over to the new ID.
    expect((await srv.send('/api/data', { token: res.token })).json.visits).toBe(1);
  });

  it('item 14: a cookie value planted before login is never authenticated', async () => {
    // An attacker's own (real, issued) session, planted in the victim's browser.
    const planted = (await srv.send('/visit', { method: 'POST' })).token as string;
    const victim = await srv.send('/login/victim', { method: 'POST', token: planted });
    expect(victim.token).not.toBe(planted);
    const attacker = await srv.send('/api/me', { token: planted });
    expect(attacker.status).toBe(401);
    // A forged, never-issued value fares no better.
    const fake = forged();
    const second = await srv.send('/login/victim', { method: 'POST', token: fake });
    expect(second.token).not.toBe(fake);
    expect((await srv.send('/api/me', { token: fake })).status).toBe(401);
  });

  it('7.2.4 / item 15: step-up re-authentication and privilege changes issue a new ID and kill the old at once', async () => {
    const t0 = await login(srv, 'bob');
    const up = await srv.send('/step-up', { method: 'POST', token: t0 });
    expect(up.status).toBe(200);
    const t1 = up.token as string;
    expect(t1).not.toBe(t0);
    expect(await alive(t0)).toBe(false);
    const admin = await srv.send('/elevate', { method: 'POST', token: t1 });
    const t2 = admin.token as string;
    expect(t2).toMatch(/^[\w-]{43}$/);
    expect(t2).not.toBe(t1);
    expect(await alive(t1)).toBe(false);
    expect((await srv.send('/api/me', { token: t2 })).json.userId).toBe('bob');
  });

  it('OWASP renewal / item 16: after the interval the next response rotates; the predecessor resolves only inside the grace window, with the successor cookie', async () => {
    const t0 = await login(srv, 'carol');
    srv.clock.advance(ROTATE - 1);
    expect((await srv.send('/api/data', { token: t0 })).token).toBeUndefined(); // not yet
    srv.clock.advance(1);
    const rotated = await srv.send('/api/data', { token: t0 });
    const t1 = rotated.token as string;
    expect(t1).toMatch(/^[\w-]{43}$/);
    expect(t1).not.toBe(t0);
    // Inside the window the predecessor still works and is handed the successor.
    srv.clock.advance(GRACE - 1);
    const late = await srv.send('/api/me', { token: t0 });
    expect(late.status).toBe(200);
    expect(late.token).toBe(t1);
    // After the window it is rejected.
    srv.clock.advance(1);
    const stale = await srv.send('/api/me', { token: t0 });
    expect(stale.status).toBe(401);
    expect(stale.token).toBeUndefined();
    expect(await alive(t1)).toBe(true);
  });

  it('item 16: a due rotation waits for a request of the own site that changes something', async () => {
    // Another site could start a request that rotates and abort it before its answer: the
    // browser would keep the predecessor, signed out once the window closes.
    const t0 = await login(srv, 'carl');
    srv.clock.advance(ROTATE);
    const notOwn: [string, SendInit][] = [
      // A link opened from another site (a popup it then closes), and from a sibling site.
      ['/api/data', { token: t0, headers: { 'Sec-Fetch-Site': 'cross-site' } }],
      ['/api/data', { token: t0, headers: { 'Sec-Fetch-Site': 'same-site' } }],
      // A sibling site's no-cors POST, refused by the CSRF guard.
      [
        '/session/logout',
        {
          method: 'POST',
          token: t0,
          headers: { 'Sec-Fetch-Site': 'same-site', 'Session-Request': '1' },
        },
      ],
      // Refused on the own site: a simple POST, a GET where only POST is allowed.
      [
        '/session/extend',
        {
          method: 'POST',
          token: t0,
          headers: { 'Sec-Fetch-Site': 'same-origin', 'Content-Type': 'text/plain' },
        },
      ],
      ['/session/logout', { token: t0, headers: { 'Sec-Fetch-Site': 'same-origin' } }],
      // Passive: a status poll, a hidden tab's request.
      ['/session/status', { token: t0, headers: { 'Sec-Fetch-Site': 'same-origin' } }],
      [
        '/api/data',
        { token: t0, headers: { 'Sec-Fetch-Site': 'same-origin', 'Session-Passive': '1' } },
      ],
    ];
    const rotations = () => srv.events.filter((e) => e.type === 'rotated').length;
    const before = rotations();
    for (const [path, init] of notOwn) {
      const res = await srv.send(path, init);
      expect(res.status, `${init.method ?? 'GET'} ${path}`).toBeLessThan(500);
      expect(res.token, `${init.method ?? 'GET'} ${path}`).toBeUndefined();
    }
    expect(rotations()).toBe(before);
    // Long after any grace window, the cookie the browser holds still works…
    srv.clock.advance(GRACE * 3);
    const status = await srv.send('/session/status', { token: t0 });
    expect([status.json.state, status.token]).toEqual(['active', undefined]);
    // …and the next request of its own pages rotates; so do the person's own (the address
    // bar) and those of a client that is no browser (no Sec-Fetch-Site).
    let token = t0;
    for (const site of ['same-origin', 'none', undefined]) {
      const headers: Record<string, string> = site ? { 'Sec-Fetch-Site': site } : {};
      const res = await srv.send('/api/data', { token, headers });
      expect(res.token, String(site)).toMatch(/^[\w-]{43}$/);
      expect(res.token).not.toBe(token);
      token = res.token as string;
      srv.clock.advance(ROTATE);
    }
    expect(rotations()).toBe(before + 3);
  });

  it('item 17: N parallel requests with one due-for-rotation ID produce exactly one successor, and every cookie set is that one', async () => {
    const t0 = await login(srv, 'dave');
    srv.clock.advance(ROTATE + 1);
    const before = srv.events.length;
    const replies = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        i % 2 === 0
          ? srv.send('/api/data', { token: t0 })
          : srv.send(`/note/k${i}`, { method: 'POST', token: t0 }),
      ),
    );
    for (const r of replies) expect(r.status).toBe(200);
    const set = new Set(replies.map((r) => r.token).filter((t) => t !== undefined));
    expect(set.size).toBe(1);
    const [successor] = [...set] as [string];
    expect(successor).not.toBe(t0);
    expect(srv.events.slice(before).filter((e) => e.type === 'rotated')).toHaveLength(1);
    expect(await alive(successor)).toBe(true);
    // No writes were lost either: all 12 per-key writes landed.
    for (let i = 1; i < 24; i += 2) {
      expect((await srv.send(`/note/k${i}`, { token: successor })).json.value).toBe(true);
    }
  });

  it("item 18: a predecessor's predecessor, or a predecessor after its window, is rejected and logged as theft", async () => {
    const t0 = await login(srv, 'erin');
    srv.clock.advance(ROTATE);
    const t1 = (await srv.send('/api/data', { token: t0 })).token as string;
    srv.clock.advance(ROTATE);
    const t2 = (await srv.send('/api/data', { token: t1 })).token as string;
    expect(new Set([t0, t1, t2]).size).toBe(3);
    const before = srv.events.length;
    // t0 is two generations old, even though t1 is still inside its window.
    expect((await srv.send('/api/me', { token: t0 })).status).toBe(401);
    srv.clock.advance(GRACE);
    expect((await srv.send('/api/me', { token: t1 })).status).toBe(401);
    const thefts = srv.events
      .slice(before)
      .filter((e) => e.type === 'rejected' && e.reason === 'theft-suspected');
    expect(thefts).toHaveLength(2);
    expect(thefts[0]?.userId).toBe('erin');
    // Default `onTheft: 'log'`: the current holder keeps the session.
    expect(await alive(t2)).toBe(true);

    // Optional: `onTheft: 'revoke'` ends the whole session.
    const strict = await startServer({
      session: { rotationInterval: ROTATE, rotationGrace: GRACE, onTheft: 'revoke' },
    });
    try {
      const s0 = await login(strict, 'frank');
      strict.clock.advance(ROTATE);
      const s1 = (await strict.send('/api/data', { token: s0 })).token as string;
      strict.clock.advance(GRACE);
      const replay = await strict.send('/api/me', { token: s0 });
      expect(replay.json).toMatchObject({ code: 'session_revoked', reason: 'revoked' });
      expect(await alive(s1, strict)).toBe(false);
      expect(
        strict.events.some((e) => e.type === 'revoked' && e.detail === 'theft-suspected'),
      ).toBe(true);
    } finally {
      await strict.close();
    }
  });

  it('item 19: a response finishing after a rotation never re-sends the stale cookie nor deletes the newer one', async () => {
    const t0 = await login(srv, 'gina');
    srv.clock.advance(ROTATE + 1);
    // A slow request resolves t0 (due for rotation) and is held in its handler...
    const gate = srv.gate('after-rotation');
    const slow = srv.send('/slow/after-rotation', { method: 'POST', token: t0 });
    await gate.entered;
    // ...while a fast one rotates.
    const t1 = (await srv.send('/api/data', { token: t0 })).token as string;
    expect(t1).toMatch(/^[\w-]{43}$/);
    gate.open();
    const late = await slow;
    expect(late.status).toBe(200);
    expect(late.sessionLines.length).toBeLessThanOrEqual(1);
    if (late.token !== undefined) expect(late.token).toBe(t1); // never t0, never a clear
    expect(await alive(t1)).toBe(true);
    expect((await srv.send('/api/data', { token: t1 })).json.state).toBe('active');

    // And after a regenerate (login elsewhere in the same browser): the slow request that
    // started with the old ID neither re-sends it nor clears the new one.
    const g2 = srv.gate('after-login');
    const slow2 = srv.send('/slow/after-login', { method: 'POST', token: t1 });
    await g2.entered;
    const t2 = (await srv.send('/step-up', { method: 'POST', token: t1 })).token as string;
    g2.open();
    const late2 = await slow2;
    expect(late2.token === undefined || late2.token === t2).toBe(true);
    expect(await alive(t2)).toBe(true);
    expect(await alive(t1)).toBe(false);
    expect(await sidOf(srv, t2)).not.toBeNull();
  });

  it('item 19: a late request that presented the predecessor sends no stale successor after a step-up or a logout, also when it writes nothing', async () => {
    for (const then of ['step-up', 'logout'] as const) {
      const t0 = await login(srv, `late-${then}`);
      srv.clock.advance(ROTATE + 1);
      const t1 = (await srv.send('/api/data', { token: t0 })).token as string;
      // Inside t1's grace window, a request still carrying t0 is held; it writes nothing.
      const gate = srv.gate(`grace-${then}`);
      const slow = srv.send(`/slow/grace-${then}?write=0`, { token: t0 });
      await gate.entered;
      const t2 =
        then === 'step-up'
          ? ((await srv.send('/step-up', { method: 'POST', token: t1 })).token as string)
          : (await srv.send('/session/logout', { method: 'POST', token: t1, sameOrigin: true }))
              .token;
      gate.open();
      const late = await slow;
      expect(late.status).toBe(200);
      expect(late.token, then).toBeUndefined(); // not t1: the browser keeps t2, or stays out
      if (then === 'step-up') expect(await alive(t2 as string)).toBe(true);
      else expect(late.headers.get('Session-Deadline')).toBeNull();
      expect(await alive(t1)).toBe(false);
    }
  });
});
