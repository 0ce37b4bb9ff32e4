import { describe, expect, it, vi } from 'vitest';
import type { SessionOptions } from '../config/options.js';
import { Browser } from '../routes/test-app.fixture.js';
import { raceApp } from './race.fixture.js';

type Race = ReturnType<typeof raceApp>;

/** Signs in, holds `path` after its session was read, runs `during`, then lets it finish. */
async function heldAcross(
  path: string,
  during: (t: Race) => Promise<void>,
  options: SessionOptions = {},
  login = '/login',
) {
  const t = raceApp(options);
  await t.browser.post(login);
  const entered = t.handler.hold();
  const pending = t.browser.post(path);
  await entered;
  await during(t);
  t.handler.release();
  return { t, res: await pending };
}

const revokeUser = async (t: Race) => {
  expect(await t.manager.revokeUser('u1')).toBe(1);
};
const reauth = (b: Browser) => b.post('/session/reauth');
describe('a privilege change (regenerate() without a sign-in) held across an ending', () => {
  it('answers 401 session_revoked and leaves no live session when revokeUser ran meanwhile', async () => {
    const { t, res } = await heldAcross('/elevate', revokeUser);
    expect(res.status).toBe(401);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ code: 'session_revoked', reason: 'revoked' });
    expect(await t.live()).toHaveLength(0);
    expect(await t.state()).toBe('none');
  });

  it('leaves no live session when that one session was revoked meanwhile', async () => {
    const { t, res } = await heldAcross('/elevate', async (t) => {
      const [listed] = await t.live();
      await t.manager.revoke(listed!.id);
    });
    expect(res.status).toBe(401);
    expect(await t.live()).toHaveLength(0);
  });

  it('leaves no live session when another tab signed out meanwhile', async () => {
    const { t, res } = await heldAcross('/elevate', async (t) => {
      expect((await t.browser.post('/session/logout')).status).toBe(200);
    });
    expect(await res.json()).toMatchObject({ code: 'session_revoked', reason: 'logged-out' });
    expect(await t.live()).toHaveLength(0);
  });

  it('does not let a credential issued in the held request sign the revoked user back in', async () => {
    for (const path of ['/elevate-remember', '/remember-device']) {
      const { t } = await heldAcross(path, revokeUser);
      expect((await reauth(t.browser)).status).toBe(401);
      expect(await t.live()).toHaveLength(0);
    }
  });

  it('deletes a credential the app issues after catching SessionEndedError', async () => {
    const { t } = await heldAcross('/elevate-or-carry-on?remember=1', revokeUser);
    expect((await reauth(t.browser)).status).toBe(401);
  });

  it('hands a credential issued while another tab renewed the session to the renewed one', async () => {
    const { t, res } = await heldAcross('/remember-device', async (t) => {
      expect((await t.browser.post('/elevate')).status).toBe(200);
    });
    expect(res.status).toBe(200);
    const [renewed] = await t.live();
    expect((await t.manager.get(renewed!.id))?.credentialId).toEqual(expect.any(String));
    // Linked, so revoking the session deletes it, as for any linked credential.
    await t.manager.revoke(renewed!.id);
    t.browser.cookies.delete('lifeline');
    expect((await reauth(t.browser)).status).toBe(401);
  });

  it('deletes a credential issued while another tab renewed the session, once revokeUser ran', async () => {
    const { t } = await heldAcross('/remember-device', async (t) => {
      expect((await t.browser.post('/elevate')).status).toBe(200);
      await t.manager.revokeUser('u1');
    });
    t.browser.cookies.delete('lifeline');
    expect((await reauth(t.browser)).status).toBe(401);
  });

  it('logs no stack trace for the refusal: it is an answer, not a crash', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    await heldAcross('/elevate', revokeUser);
    expect(logged).not.toHaveBeenCalled();
    logged.mockRestore();
  });

  it('writes nothing more when the app catches SessionEndedError and carries on', async () => {
    const { t, res } = await heldAcross('/elevate-or-carry-on', revokeUser);
    expect(await res.text()).toBe('carried on');
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(await t.state()).toBe('none');
  });
});

describe('a double-submitted privilege change', () => {
  for (const login of ['/login', '/login?remember=1']) {
    it(`answers the loser 409 and keeps the winner's session, also at maxSessionsPerUser 1 (${login})`, async () => {
      const { t, res } = await heldAcross(
        '/elevate',
        async (t) => {
          expect((await t.browser.post('/elevate')).status).toBe(200); // the one that wins
        },
        { maxSessionsPerUser: 1 },
        login,
      );
      expect(res.status).toBe(409);
      expect(await res.json()).toMatchObject({ code: 'invalid_request' });
      // The loser sent no cookie, so the browser keeps the winner's session.
      expect(res.headers.getSetCookie()).toEqual([]);
      expect(await t.live()).toHaveLength(1);
      expect(await t.state()).toBe('active');
    });
  }

  it("never replaces the winner's cookie when the loser's app catches and carries on", async () => {
    const { t, res } = await heldAcross('/elevate-or-carry-on', async (t) => {
      expect((await t.browser.post('/elevate')).status).toBe(200);
    });
    expect(await res.text()).toBe('carried on');
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(await t.live()).toHaveLength(1);
    expect(await t.state()).toBe('active');
  });
});

describe('a sign-in held across an ending', () => {
  it('still signs in: it proves itself rather than standing on the session it replaces', async () => {
    const { t, res } = await heldAcross('/login-held', revokeUser);
    expect(res.status).toBe(200);
    expect(await t.state()).toBe('active');
  });
});

describe('a sign-out sent with the cookie a renewal replaced', () => {
  it.each([
    ['a privilege change', (t: Race) => t.browser.post('/elevate')],
    ['a re-auth', (t: Race) => reauth(t.browser)],
  ])('ends the session %s renewed it into, and its remember-me credential', async (_, renew) => {
    const t = raceApp();
    await t.browser.post('/login?remember=1');
    const late = t.browser.tab(); // still holds the first session's cookie
    expect((await renew(t)).status).toBe(200);
    expect(await t.state()).toBe('active');

    const out = await late.post('/session/logout');
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie().some((l) => /^lifeline=;.*Max-Age=0/.test(l))).toBe(true);
    // Whichever answer the browser keeps, nobody is signed in any more.
    expect(await t.state()).toBe('none');
    expect(await t.live()).toHaveLength(0);
    expect((await reauth(t.browser)).status).toBe(401);
  });

  it('ends nothing once the grace window is over: a stale pre-renewal cookie is plainly dead', async () => {
    const t = raceApp();
    await t.browser.post('/login?remember=1');
    // A copy of the session cookie alone from before a privilege change (a stolen one).
    const stale = new Browser(t.app);
    stale.cookies.set('lifeline', t.browser.cookies.get('lifeline')!);
    expect((await t.browser.post('/elevate')).status).toBe(200);
    t.clock.advance(11_000); // past the 10 s grace window
    const status = await stale.get('/session/status');
    expect(status.status).toBe(200); // no 409: it learns nothing of the renewed session
    expect(await status.json()).toMatchObject({ state: 'none', reason: 'revoked' });
    expect((await stale.post('/session/logout')).status).toBe(200);
    expect(await t.state()).toBe('active');
    expect((await reauth(t.browser)).status).toBe(200); // the credential survives too
  });

  it('ends nothing of a session the cookie was never renewed into (a new sign-in)', async () => {
    const t = raceApp();
    await t.browser.post('/login');
    const late = t.browser.tab();
    await t.browser.post('/login'); // a sign-in names no successor: it proves itself
    expect((await late.post('/session/logout')).status).toBe(200);
    expect(await t.state()).toBe('active');
  });
});

describe('a write held across an ending of its session', () => {
  it.each(['/write', '/stay'])(
    'answers 401 with the reason instead of claiming %s was done, when another tab signed out',
    async (path) => {
      const { t, res } = await heldAcross(path, async (t) => {
        expect((await t.browser.post('/session/logout')).status).toBe(200);
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('Content-Type')).toBe('application/problem+json');
      // `handled`: the handler ran, so the SDK does not repeat a POST on its own.
      expect(await res.json()).toMatchObject({
        code: 'session_revoked',
        reason: 'logged-out',
        handled: true,
      });
      expect(res.headers.get('Session-Deadline')).toBeNull();
      expect(res.headers.getSetCookie().filter((l) => l.startsWith('lifeline='))).toEqual([]);
      expect(await t.state()).toBe('none');
    },
  );

  it('answers 409 and keeps the renewed cookie when a privilege change in another tab renewed it', async () => {
    const t = raceApp();
    await t.browser.post('/login');
    const entered = t.handler.hold();
    const pending = t.browser.post('/write');
    await entered;
    const other = t.browser.tab();
    expect((await other.post('/elevate')).status).toBe(200);
    t.handler.release();
    const res = await pending;
    // The write was not made; the handler ran (`handled`): the app, not the SDK, decides
    // whether to repeat it with the renewed cookie.
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'session_renewed', handled: true });
    expect(res.headers.getSetCookie().filter((l) => l.startsWith('lifeline='))).toEqual([]);
    expect(await t.state(other)).toBe('active');
  });

  it('creates no session for a write sent with the cookie a privilege change just replaced', async () => {
    const t = raceApp();
    await t.browser.post('/login');
    const other = t.browser.tab(); // still holds the cookie from before the change
    expect((await t.browser.post('/elevate')).status).toBe(200);
    const res = await other.post('/write');
    // A new visitor session's cookie would have replaced the renewed one: signed out.
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'session_renewed', handled: true });
    expect(res.headers.getSetCookie().filter((l) => l.startsWith('lifeline='))).toEqual([]);
    expect(await t.state()).toBe('active');
  });

  it('keeps the answer of a read whose due touch found the session ended: it read it live', async () => {
    const t = raceApp();
    await t.browser.post('/login');
    t.clock.advance(10 * 60_000); // a touch is due: the read writes one
    const entered = t.handler.hold();
    const pending = t.browser.get('/read-held');
    await entered;
    expect((await t.browser.post('/session/logout')).status).toBe(200);
    t.handler.release();
    const res = await pending;
    expect([res.status, await res.text()]).toEqual([200, 'active']);
  });
});
