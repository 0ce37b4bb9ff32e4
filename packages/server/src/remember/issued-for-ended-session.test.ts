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

  it('keeps it when the session only timed out, as a timeout keeps the one it links', async () => {
    const t = raceApp();
    await t.browser.post('/login?remember=1');
    const kept = t.browser.cookies.get(REMEMBER)!;
    const entered = t.handler.hold();
    const pending = t.browser.tab().post('/remember-device'); // issues a second credential
    await entered;
    t.clock.advance(31 * MIN); // past the idle timeout
    // Another tab's request finds the session past its deadline and ends it.
    expect(await t.state(t.browser.tab())).toBe('none');
    t.handler.release();
    t.browser.receive(await pending);
    // Before: the second credential (which replaced the first) was deleted at commit with
    // its cookie still sent, and the device's re-auth failed: signed out, remembered or not.
    expect(t.browser.cookies.get(REMEMBER)).not.toBe(kept);
    t.browser.cookies.delete('lifeline');
    expect((await t.browser.post('/session/reauth')).status).toBe(200);
  });
});
