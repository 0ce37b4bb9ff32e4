import { describe, expect, it } from 'vitest';
import { Browser } from '../routes/test-app.fixture.js';
import { raceApp } from './race.fixture.js';

type Race = ReturnType<typeof raceApp>;

/**
 * A `POST /session/logout` whose body is still arriving: the middleware has already read
 * the session (live), the handler waits for the body before it calls destroy().
 */
function slowLogout(tab: Browser) {
  let finish = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      finish = () => {
        controller.enqueue(new TextEncoder().encode('{}'));
        controller.close();
      };
    },
  });
  const pending = tab.send('POST', '/session/logout', {
    body,
    headers: { 'Content-Type': 'application/json' },
  });
  return { pending, finish };
}

describe('a sign-out in flight while another tab renews the session', () => {
  it.each([
    ['a privilege change', (t: Race) => t.browser.post('/elevate')],
    ['a re-auth', (t: Race) => t.browser.post('/session/reauth')],
  ])('leaves no live session when %s lands between its read and its ending', async (_, renew) => {
    const t = raceApp();
    await t.browser.post('/login?remember=1');
    const logout = slowLogout(t.browser.tab()); // resolves the first session as live, then waits
    await new Promise((r) => setTimeout(r, 20));

    expect((await renew(t)).status).toBe(200); // the session moves on to a new token
    const renewed = t.browser.cookies.get('lifeline')!;

    logout.finish();
    const out = await logout.pending;
    expect(out.status).toBe(200);
    expect(await out.json()).toMatchObject({ state: 'none', reason: 'logged-out' });

    // "a sign-out is never undone by a race (a re-auth sent before a sign-out is signed
    // out of too)": whichever answer the browser keeps, nobody is signed in any more.
    const replay = new Browser(t.app);
    replay.cookies.set('lifeline', renewed);
    expect(await (await replay.get('/session/status')).json()).toMatchObject({ state: 'none' });
    expect(await t.live()).toHaveLength(0);
  });
});

describe('a revocation for a changed User-Agent while the owner renews the session', () => {
  it('ends the session it was renewed into as well', async () => {
    const t = raceApp({ bindUserAgent: 'revoke' });
    const asOwner = { headers: { 'User-Agent': 'Owner/1.0' } };
    await t.browser.send('POST', '/login', asOwner);
    // A copy of the cookie arrives from another browser; its revocation is held at the store.
    const thief = t.browser.tab();
    const held = t.ending.hold();
    const refused = thief.send('GET', '/session/status', {
      headers: { 'User-Agent': 'Other/2.0' },
    });
    await held;
    expect((await t.browser.send('POST', '/elevate', asOwner)).status).toBe(200);
    t.ending.release();
    expect(await (await refused).json()).toMatchObject({ state: 'none' });
    // The session the cookie belonged to is revoked, whatever it was renewed into meanwhile.
    expect(await t.live()).toHaveLength(0);
  });
});
