import { expect, it } from 'vitest';
import { SessionExpiredError } from '../errors.js';
import { createFakeServer, createSimulatedBrowser, flush } from '../testing/index.js';
import { missingFeature } from './missing-feature.fixture.js';

const MIN = 60_000;
const throwIfAborted = missingFeature(new Request('http://app.test/').signal, 'throwIfAborted');

// Safari before 15.4 (where each tab runs alone) and Chrome before 100 have no
// AbortSignal#throwIfAborted. A session 401 must still re-authenticate and replay.
it('re-authenticates and replays a session 401 where AbortSignal has no throwIfAborted', async () => {
  const browser = createSimulatedBrowser();
  const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: 10 * MIN });
  server.signIn();
  const tab = browser.openTab({ fetch: server.fetch });
  await flush();
  // As in Safari 15.0–15.3.
  throwIfAborted.remove();
  server.end('idle-timeout');
  const outcome = await tab.client.fetch('/api/data').then(
    (r) => r.status,
    (e: unknown) => (e instanceof SessionExpiredError ? 'expired' : String(e)),
  );
  expect({ outcome, reauths: server.calls.get('/session/reauth') ?? 0 }).toEqual({
    outcome: 200,
    reauths: 1,
  });
  tab.close();
});
