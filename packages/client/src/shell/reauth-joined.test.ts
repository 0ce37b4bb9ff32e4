import { describe, expect, it } from 'vitest';
import { signedInBrowser } from './signed-in.fixture.js';

describe('a re-auth begun before a sign-out, joined by a call made after it', () => {
  it('does not undo the sign-out with the session the older attempt signed in to', async () => {
    const { browser, server, open, step } = signedInBrowser();
    let finish = () => {};
    let calls = 0;
    const a = browser.openTab({
      fetch: server.fetch,
      // The app's silent sign-in (an identity provider's iframe), begun with the old identity.
      reauth: () => {
        calls++;
        return new Promise<boolean>((resolve) => {
          finish = () => {
            server.signIn();
            resolve(true);
          };
        });
      },
    });
    const b = open();
    await step(1_000);
    server.end('idle-timeout');
    const background = a.client.reauthenticate(); // e.g. the fetch wrapper's, on a 401
    await step(1_000);
    expect(await b.client.logout()).toBe(true); // the person signs out in b meanwhile
    await step(1_000);
    // Any later call in a (the dialog's button, say) while the old attempt is on its way.
    void a.client.reauthenticate();
    await step(0);
    expect(calls).toBe(1);
    finish(); // the old attempt's sign-in finishes after the sign-out
    // Begun before the sign-out: its session is signed out of too.
    expect(await background).toBe(false);
    await step(2_000);
    expect(server.live()).toBe(false);
    for (const t of [a, b]) t.close();
  });
});
