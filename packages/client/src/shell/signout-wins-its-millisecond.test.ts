import { describe, expect, it } from 'vitest';
import { flush } from '../testing/index.js';
import { signedInBrowser } from './signed-in.fixture.js';

/**
 * A sign-out page (or an app route) that makes the client and calls `logout()` at once:
 * the page's first `GET /status` and the `POST /logout` leave in the same millisecond.
 * The check's answer ("active", or the timeout the session already met) used to win: the
 * tab showed the signed-out user as signed in (and told every tab so) until its next poll,
 * or replaced the sign-out with an expiry, after which a 401 re-authenticated the person.
 */
describe('a sign-out in the millisecond of a check still on its way', () => {
  for (const atServer of ['live', 'idle-timeout'] as const) {
    it(`wins: signed out, no user, no re-auth offer (session ${atServer} at the server)`, async () => {
      const { server, open, stepAsync } = signedInBrowser({ latency: 50 });
      if (atServer !== 'live') server.end(atServer);
      const tab = open();
      const seen: string[] = [];
      for (const type of ['expired', 'signed-out', 'extended', 'reauthenticated'] as const) {
        tab.client.on(type, () => seen.push(type));
      }
      const [ok] = await Promise.all([tab.client.logout(), stepAsync(1000)]);
      await flush(20);
      expect(ok).toBe(true);
      expect(server.live()).toBe(false);
      const snapshot = tab.client.getSnapshot();
      expect(snapshot).toMatchObject({
        state: 'signed-out',
        lastReason: 'logged-out',
        user: null,
        canReauth: false,
      });
      expect(seen).toEqual(['signed-out']);
      tab.close();
    });
  }

  it('an extension sent just before the sign-out does not bring back its user or re-auth offer', async () => {
    const { server, open, stepAsync } = signedInBrowser({ latency: 50 });
    const tab = open();
    await stepAsync(1000);
    expect(tab.client.getSnapshot().state).toBe('active');
    const [, ok] = await Promise.all([tab.client.extend(), tab.client.logout(), stepAsync(1000)]);
    await flush(20);
    expect(ok).toBe(true);
    expect(server.live()).toBe(false);
    expect(tab.client.getSnapshot()).toMatchObject({
      state: 'signed-out',
      user: null,
      canReauth: false,
    });
    tab.close();
  });
});
