import { describe, expect, it } from 'vitest';
import { Browser, routesTestApp } from '../routes/test-app.fixture.js';
import { raceApp } from '../session/race.fixture.js';
import type { SessionManager } from '../session/types.js';
import type { RememberEvent } from './options.js';

const MIN = 60_000;
const REMEMBER = 'lifeline_remember';

const rememberLine = (res: Response) =>
  res.headers.getSetCookie().find((line) => line.startsWith(`${REMEMBER}=`));

// A credential issued in a request whose session ended before the answer went out is
// deleted at commit; its cookie must not go out as if it worked.
describe('a remember-me credential issued for a session that ended meanwhile', () => {
  it('is taken back when the sign-in that issued it was revoked by its own theft report', async () => {
    const events: RememberEvent[] = [];
    let manager: SessionManager | undefined;
    const t = routesTestApp({
      remember: {
        // The docs' advice: a suspected theft ends all of the user's sessions.
        onEvent: async (e) => {
          events.push(e);
          if (e.type === 'theft-suspected' && e.userId) await manager?.revokeUser(e.userId);
        },
      },
    });
    manager = t.manager;
    const victim = new Browser(t.app);
    await victim.post('/login?remember=1');
    const thief = new Browser(t.app);
    thief.cookies.set(REMEMBER, victim.cookies.get(REMEMBER)!);
    expect((await thief.post('/session/reauth')).status).toBe(200);
    t.clock.advance(MIN); // the victim holds the replaced validator
    const res = await victim.post('/login?remember=1');
    expect(events.map((e) => e.type)).toContain('theft-suspected');
    // Before: a cookie for the credential deleted at commit, and `canReauth: true`.
    expect(rememberLine(res)).toMatch(/Max-Age=0/);
    expect(victim.cookies.has(REMEMBER)).toBe(false);
    expect(await (await victim.get('/session/status')).json()).toMatchObject({
      state: 'none',
      canReauth: false,
    });
  });

  /** A "remember this device" request held while the session times out and `during` runs. */
  async function acrossTimeout(during: (t: ReturnType<typeof raceApp>) => Promise<void>) {
    const t = raceApp();
    await t.browser.post('/login?remember=1');
    const entered = t.handler.hold();
    const pending = t.browser.tab().post('/remember-device');
    await entered;
    t.clock.advance(31 * MIN); // past the idle timeout
    await during(t);
    t.handler.release();
    t.browser.receive(await pending);
    t.browser.cookies.delete('lifeline');
    return t;
  }

  it('is taken back after a timeout too, with nothing offered that can only fail', async () => {
    // Another tab's request finds the session past its deadline and ends it.
    const t = await acrossTimeout(async (t) => expect(await t.state(t.browser.tab())).toBe('none'));
    expect(t.browser.cookies.has(REMEMBER)).toBe(false);
    expect(await (await t.browser.get('/session/status')).json()).toMatchObject({
      canReauth: false,
    });
  });

  // Kept after a timeout (a first version of this change), it was linked to no session and
  // survived what came after it.
  it('does not survive a revokeUser() made after the timeout', async () => {
    const t = await acrossTimeout(async (t) => {
      expect(await t.state(t.browser.tab())).toBe('none');
      await t.manager.revokeUser('u1');
    });
    expect((await t.browser.post('/session/reauth')).status).toBe(401);
  });

  it('does not survive a sign-out made after the timeout, whose answer came first', async () => {
    const t = await acrossTimeout(async (t) => {
      expect((await t.browser.post('/session/logout')).status).toBe(200);
    });
    expect((await t.browser.post('/session/reauth')).status).toBe(401);
  });
});
