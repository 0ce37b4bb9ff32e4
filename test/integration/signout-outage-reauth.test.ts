import { afterEach, expect, it } from 'vitest';
import { world } from './renewal.fixture.js';
import { MINUTE, SECOND } from './security/harness.js';

// docs/client.md: "After the person signed out (in any tab), a 401 leads to no re-auth at
// all until a new session appears: the app's background requests must not sign them back
// in." A sign-out whose POST /logout cannot reach the server (an outage: it is retried with
// backoff) leaves the session and the remember-me credential alive at the server. Once the
// server answers again, after the idle deadline, the app's next request gets 401
// `idle-timeout`, which replaces `logged-out` in the client; the request after it then
// re-authenticates silently with the remember-me cookie, and the new session drops the
// owed logout. The person who clicked "Sign out" is signed back in, remember-me intact.

let w: Awaited<ReturnType<typeof world>> | undefined;
afterEach(async () => {
  await w?.srv.close();
  w = undefined;
});

it("a sign-out that could not reach the server is not undone by the app's own requests", async () => {
  const x = await world({ session: { idleTimeout: 10 * MINUTE, absoluteTimeout: 60 * MINUTE } });
  w = x;
  expect((await x.jar.fetch('/login/alice?remember=1', { method: 'POST' })).status).toBe(200);
  const tab = await x.open();
  await x.settle();

  // The server is unreachable: every request fails as a network error.
  let down = true;
  x.jar.setHold(() => (down ? Promise.reject(new TypeError('Failed to fetch')) : undefined));
  expect(await tab.client.logout()).toBe(false); // shown signed out, the logout owed
  await x.run(11 * MINUTE, 10 * SECOND); // the outage outlasts the idle timeout
  expect(tab.client.getSnapshot().state).toBe('signed-out');
  down = false;

  // The app's own requests (a poll) once the server answers again.
  for (let i = 0; i < 2; i++) await tab.client.fetch('/api/me').catch(() => undefined);
  await x.settle();
  await x.run(70 * SECOND, 5 * SECOND); // room for the owed logout to land

  expect(x.count('POST', '/session/reauth')).toBe(0);
  expect(tab.client.getSnapshot().state).toBe('signed-out');
  const server = await (await x.jar.fetch('/session/status')).json();
  expect(server).toMatchObject({ state: 'none', canReauth: false });
});
