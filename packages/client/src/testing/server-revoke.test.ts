// @vitest-environment node

import { SessionExpiredError } from '@lifeline/client';
import { expect, it } from 'vitest';
import { createFakeServer, createSimulatedBrowser, flush } from './index.js';

const MIN = 60_000;

// The fake server's `end(reason)`: "Ends the session on the server side only, as an admin
// revoke or a store eviction would." The real server's admin revoke (`manager.revoke(id)`,
// `revokeUser()`, docs/server.md "rememberMe") deletes the device's remember-me credential
// too: a revoked user is not signed straight back in by `POST /reauth`, and `/status` says
// `canReauth: false`. The fake keeps the credential, so an app's "admin revokes the
// session" test sees the user silently signed back in.
it('after end("revoked") the fake server refuses /reauth, as the real one does', async () => {
  const browser = createSimulatedBrowser();
  const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: 10 * MIN });
  server.signIn();
  const tab = browser.openTab({ fetch: server.fetch });
  await flush();
  await browser.clock.advanceAsync(MIN);
  server.end('revoked'); // an admin revokes the session
  await expect(tab.client.fetch('/api/me')).rejects.toBeInstanceOf(SessionExpiredError);
  await flush();
  expect(server.live()).toBe(false); // it used to be: true, the re-auth made a new session
  const status = await (await server.fetch('/session/status')).json();
  expect(status).toMatchObject({ state: 'none', reason: 'revoked', canReauth: false });
  tab.close();
});
