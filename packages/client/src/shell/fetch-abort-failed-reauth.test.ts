import { expect, it } from 'vitest';
import { flush } from '../testing/index.js';
import { slowReauthBrowser } from './slow-reauth.fixture.js';

it('a session 401 whose caller aborted during a re-auth that then fails still ends the session view', async () => {
  // The app's own silent sign-in, which takes 5 s and is declined (no session at the IdP).
  const { browser, server, open, settle } = slowReauthBrowser({ ms: 5_000, succeeds: false });
  const tab = open();
  await settle();
  const events: string[] = [];
  tab.client.on('expired', (e) => events.push(`expired:${e.reason}`));
  tab.client.on('reauth-failed', () => events.push('reauth-failed'));
  server.end('revoked');
  const controller = new AbortController();
  const call = tab.client.fetch('/api/search', { signal: controller.signal }).catch((e) => e.name);
  await browser.clock.advanceAsync(1_000);
  controller.abort(); // the person navigated on: the app cancels its queries
  expect(await call).toBe('AbortError');
  await browser.clock.advanceAsync(10_000);
  await flush();
  // The server said the session was revoked and nothing could revive it.
  expect({ events, state: tab.client.getSnapshot().state }).toEqual({
    events: ['reauth-failed', 'expired:revoked'],
    state: 'expired',
  });
  tab.close();
});
