import { expect, it } from 'vitest';
import { SessionExpiredError } from '../errors.js';
import { createFakeServer, createSimulatedBrowser, flush } from '../testing/index.js';

const MIN = 60_000;

// Tab a's app re-auth (an identity provider's prompt) is on its way for a 401; the person
// signs in through tab b instead, and a's prompt is then declined (closed). The session is
// live and a knows it: the call that waited should be replayed with the new cookie.
it('a call whose re-auth is declined after a sign-in elsewhere is replayed, not failed', async () => {
  const browser = createSimulatedBrowser();
  const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: 10 * MIN });
  server.signIn();
  const declineIn10s = async () => {
    await new Promise<void>((resolve) => browser.clock.timers.setTimeout(resolve, 10_000));
    return false as const;
  };
  const a = browser.openTab({ fetch: server.fetch, reauth: declineIn10s });
  const b = browser.openTab({ fetch: server.fetch });
  await browser.clock.advanceAsync(0);
  await flush();
  server.end('idle-timeout');
  const call = a.client.fetch('/api/save', { method: 'POST', body: 'draft' }).then(
    (r) => r.status,
    (e: unknown) => (e instanceof SessionExpiredError ? 'SessionExpiredError' : String(e)),
  );
  await browser.clock.advanceAsync(1_000); // a's prompt is open
  server.signIn(); // the person signs in through b
  expect(await b.client.refresh()).toBe(true);
  await browser.clock.advanceAsync(100);
  await flush();
  expect(a.client.getSnapshot().state).toBe('active'); // a heard of the new session
  await browser.clock.advanceAsync(10_000); // a's prompt is closed
  await flush();
  expect({ call: await call, state: a.client.getSnapshot().state, live: server.live() }).toEqual({
    call: 200,
    state: 'active',
    live: true,
  });
  a.close();
  b.close();
});
