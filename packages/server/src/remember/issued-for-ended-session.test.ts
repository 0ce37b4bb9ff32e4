import { describe, expect, it } from 'vitest';
import { raceApp } from '../session/race.fixture.js';

const MIN = 60_000;
const REMEMBER = 'lifeline_remember';

// A credential issued in a request whose session ended before the answer went out is
// deleted at commit; its cookie must not go out as if it worked (for a sign-in whose own
// theft report revoked it, see theft-at-sign-in-out.test.ts).
describe('a remember-me credential issued for a session that ended meanwhile', () => {
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
