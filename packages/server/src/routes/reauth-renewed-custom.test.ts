import { describe, expect, it } from 'vitest';
import type { ReauthStrategy } from '../session/types.js';
import { Browser, routesTestApp } from './test-app.fixture.js';

const MIN = 60_000;

/**
 * A custom strategy whose credentials are not the store's (an SSO silent sign-in; here a
 * header stands for it): types.ts makes `credentialId` optional, docs/server.md says a
 * custom strategy adds it only "if its credentials live in the store's credential methods".
 */
const sso: ReauthStrategy = {
  canReauth: () => true,
  async reauthenticate(c) {
    const who = c.req.header('X-SSO');
    return who ? { userId: who, user: { name: `User ${who}` } } : null;
  },
};

describe('POST /reauth answered with the session a re-auth made just before, custom strategy', () => {
  it('a strategy without credentials: the second tab is answered with the first re-auth session (docs/server.md, POST /reauth)', async () => {
    const t = routesTestApp({ session: { reauth: sso } });
    const browser = new Browser(t.app);
    const headers = { 'X-SSO': 'u1' };
    expect((await browser.post('/login')).status).toBe(200);
    t.clock.advance(31 * MIN);
    // Tab A's re-auth: session S1.
    expect((await browser.send('POST', '/session/reauth', { headers })).status).toBe(200);
    const [first] = await t.manager.listForUser('u1');
    // Tab A's request, sent with S1 and still in flight when tab B (handed the lock before
    // tab A's news) re-auths with S1's cookie 50 ms later.
    const tabA = browser.tab();
    t.clock.advance(50);
    const second = await browser.send('POST', '/session/reauth', { headers });
    expect(second.status).toBe(200);
    const sessionLines = second.headers.getSetCookie().filter((l) => l.startsWith('lifeline='));
    const request = await tabA.get('/session/status');
    expect({
      sessions: (await t.manager.listForUser('u1')).map((s) => s.id),
      newSessionCookie: sessionLines.length,
      tabARequest: request.status,
    }).toEqual({ sessions: [first!.id], newSessionCookie: 0, tabARequest: 200 });
  });
});
