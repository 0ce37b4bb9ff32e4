import { describe, expect, it } from 'vitest';
import { Browser, routesTestApp } from './test-app.fixture.js';

const MIN = 60_000;

describe('POST /reauth answered with the session a re-auth made just before, ended meanwhile', () => {
  it('a revokeUser({ keepCredentials }) landing while the strategy runs: the 200 does not claim a session that has ended', async () => {
    let hold: Promise<void> | null = null;
    let entered = () => {};
    const t = routesTestApp({
      remember: {
        onEvent: async (e) => {
          if (e.type === 'used' && hold) {
            entered();
            await hold;
          }
        },
      },
    });
    const browser = new Browser(t.app);
    expect((await browser.post('/login?remember=1')).status).toBe(200);
    t.clock.advance(31 * MIN);
    // Tab A's re-auth: session S1.
    expect((await browser.post('/session/reauth')).status).toBe(200);
    t.clock.advance(50);
    // Tab B re-auths with S1; an admin ends u1's sessions, keeping the devices' credentials
    // (so each can re-authenticate), while the strategy awaits its `used` hook.
    let release = () => {};
    hold = new Promise<void>((r) => (release = r));
    const inHook = new Promise<void>((r) => (entered = r));
    const pending = browser.post('/session/reauth');
    await inHook;
    await t.manager.revokeUser('u1', { keepCredentials: true });
    hold = null;
    release();
    const res = await pending;
    const answer = await res.json();
    const next = await (await browser.get('/session/status')).json();
    // The same race without a kept session (regenerate path) answers 200 with a session that
    // is live. Here: 200 {state:'active'} and a Session-Deadline for S1, which is revoked.
    const claimsLive = res.status === 200 && answer.state === 'active';
    expect({
      status: res.status,
      answered: answer.state ?? null,
      deadlineHeader: res.headers.get('Session-Deadline') !== null,
      // A 401 is fine too; a 200 'active' must be followed by a live session.
      next: claimsLive ? next.state : 'active',
    }).toMatchObject({ next: 'active' });
  });
});
