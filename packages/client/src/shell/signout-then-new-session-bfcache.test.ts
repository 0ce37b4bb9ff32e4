import { expect, it } from 'vitest';
import { signedInBrowser } from './signed-in.fixture.js';

const MIN = 60_000;

// A tab signed out (its logout landed), then kept in the back/forward cache while the
// person signed in again elsewhere (remember-me) and that new session idled out. On its
// return the tab learns the session ended by idleness: it must show that expiry (not the
// old sign-out), and the app's next request must re-authenticate with the remember-me
// credential, as it does in every other tab.
it('a signed-out tab restored after a later session idled out shows the expiry and re-authenticates', async () => {
  const { server, open, step } = signedInBrowser();
  const a = open();
  await step(1_000);
  expect(await a.client.logout()).toBe(true); // the logout landed
  await step(1_000);
  expect(server.live()).toBe(false);

  a.window.dispatch('pagehide', { persisted: true }); // into the back/forward cache
  await step(0);

  // The person signs in again (remember-me) in another tab, which shows it ...
  server.signIn();
  const b = open();
  await step(1_000);
  expect(b.client.getSnapshot().state).toBe('active');
  // ... and leaves it: the new session idles out.
  for (let i = 0; i < 22; i++) await step(MIN / 2);
  expect(b.client.getSnapshot()).toMatchObject({ state: 'expired', lastReason: 'idle-timeout' });

  // Back to the first tab.
  a.window.dispatch('pageshow', { persisted: true });
  await step(1_000);
  expect
    .soft(a.client.getSnapshot())
    .toMatchObject({ state: 'expired', lastReason: 'idle-timeout' });

  // The app's request there re-authenticates with the remember-me credential.
  const res = await a.client.fetch('/api/data').catch((e: unknown) => e as Response);
  expect(res instanceof Response ? res.status : String(res)).toBe(200);
  expect(server.calls.get('/session/reauth')).toBe(1);
});
