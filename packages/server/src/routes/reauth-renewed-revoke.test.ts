import { describe, expect, it } from 'vitest';
import { Browser, routesTestApp } from './test-app.fixture.js';

const MIN = 60_000;
const REMEMBER = 'lifeline_remember';

describe('POST /reauth answered with the session a re-auth made just before', () => {
  it('a revokeUser landing while the strategy reports `used` leaves no live answer and no cookie for the deleted credential', async () => {
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
    // Tab A's re-auth: session S1, validator V1.
    expect((await browser.post('/session/reauth')).status).toBe(200);
    t.clock.advance(50);
    // Tab B, handed the lock first, re-auths with S1 and V1; an admin revokes u1 while the
    // strategy (having rotated V1 -> V2) awaits its `used` hook.
    let release = () => {};
    hold = new Promise<void>((r) => (release = r));
    const inHook = new Promise<void>((r) => (entered = r));
    const pending = browser.post('/session/reauth');
    await inHook;
    await t.manager.revokeUser('u1');
    hold = null;
    release();
    const res = await pending;
    expect(await t.manager.listForUser('u1')).toHaveLength(0);
    // The regenerate path answers 401 and takes the remember cookie back (revoke-during-reauth.test.ts);
    // the kept path must not answer a revoked session as live with a cookie for a deleted credential.
    const body = await res.json();
    const line = res.headers.getSetCookie().find((l) => l.startsWith(`${REMEMBER}=`));
    expect({
      status: res.status,
      state: body.state ?? null,
      rememberCleared: /Max-Age=0/.test(line ?? ''),
    }).toEqual({
      status: 401,
      state: null,
      rememberCleared: true,
    });
  });
});
