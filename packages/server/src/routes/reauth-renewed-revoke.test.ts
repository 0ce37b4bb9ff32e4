import { describe, expect, it } from 'vitest';
import { Browser, routesTestApp } from './test-app.fixture.js';

const MIN = 60_000;
const REMEMBER = 'lifeline_remember';

/**
 * Tab A re-authenticates after an idle timeout (session S1); 50 ms later tab B, handed the
 * lock first, re-authenticates with S1, and `during` runs while B's strategy (having
 * rotated the remember-me validator) awaits its `used` hook. Resolves to B's answer.
 */
async function secondReauthRacing(
  during: (t: ReturnType<typeof routesTestApp>) => Promise<unknown>,
) {
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
  expect((await browser.post('/session/reauth')).status).toBe(200);
  t.clock.advance(50);
  let release = () => {};
  hold = new Promise<void>((r) => (release = r));
  const inHook = new Promise<void>((r) => (entered = r));
  const pending = browser.post('/session/reauth');
  await inHook;
  await during(t);
  hold = null;
  release();
  return { t, browser, res: await pending };
}

describe('POST /reauth answered with the session a re-auth made just before, ended meanwhile', () => {
  it('a revokeUser landing while the strategy reports `used` leaves no live answer and no cookie for the deleted credential', async () => {
    const { t, res } = await secondReauthRacing((t) => t.manager.revokeUser('u1'));
    expect(await t.manager.listForUser('u1')).toHaveLength(0);
    // As the regenerate path does (revoke-during-reauth.test.ts): 401, the remember cookie
    // taken back, not the revoked session answered as live.
    const line = res.headers.getSetCookie().find((l) => l.startsWith(`${REMEMBER}=`));
    expect(res.status).toBe(401);
    expect((await res.json()).state).toBeUndefined();
    expect(line).toMatch(/Max-Age=0/);
  });

  it('a revokeUser({ keepCredentials }) landing while the strategy runs: a new session, not the ended one', async () => {
    const { browser, res } = await secondReauthRacing((t) =>
      t.manager.revokeUser('u1', { keepCredentials: true }),
    );
    // The credential was kept on purpose: the re-auth makes a session that really is live.
    expect(res.status).toBe(200);
    expect((await res.json()).state).toBe('active');
    expect((await (await browser.get('/session/status')).json()).state).toBe('active');
  });
});
