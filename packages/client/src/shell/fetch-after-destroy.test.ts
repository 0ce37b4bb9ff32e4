import { expect, it } from 'vitest';
import { SessionExpiredError } from '../errors.js';
import { flush } from '../testing/index.js';
import { slowReauthBrowser } from './slow-reauth.fixture.js';

it('a fetch after destroy() does not queue for the re-auth lock another tab holds', async () => {
  const { browser, server, open, settle } = slowReauthBrowser();
  const a = open();
  const b = open();
  await settle();
  server.end('idle-timeout');
  void b.client.fetch('/api/b').catch(() => {}); // b re-authenticates, holding the lock 30 s
  await browser.clock.advanceAsync(100);
  a.client.destroy(); // an SPA unmounts a's client; a stale reference still calls its fetch
  let outcome = 'pending';
  a.client.fetch('/api/a').then(
    (r) => {
      outcome = `resolved ${r.status}`;
    },
    (e) => {
      outcome = e instanceof SessionExpiredError ? 'SessionExpiredError' : e.name;
    },
  );
  await browser.clock.advanceAsync(1_000);
  await flush();
  const settledEarly = outcome;
  await browser.clock.advanceAsync(40_000);
  await flush();
  expect({ settledEarly, final: outcome, locks: browser.locks.active() }).toEqual({
    settledEarly: 'SessionExpiredError',
    final: 'SessionExpiredError',
    locks: 0,
  });
  b.close();
});
