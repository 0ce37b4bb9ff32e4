import { expect, it } from 'vitest';
import { flush } from '../testing/index.js';
import { missingFeature } from './missing-feature.fixture.js';
import { slowReauthBrowser } from './slow-reauth.fixture.js';

const reason = missingFeature(new Request('http://app.test/').signal, 'reason');

// Safari before 15.4 and Chrome before 98 have no AbortSignal#reason (the project already
// supports them: see fetch-old-signal.test.ts). A plain fetch there rejects an aborted call
// with a DOMException named AbortError; so must the wrapper.
it('rejects an abort made during the re-auth with an AbortError where AbortSignal has no reason', async () => {
  const { browser, server, open, settle } = slowReauthBrowser();
  const tab = open();
  await settle();
  // As in Safari 15.0–15.3: no `reason` on AbortSignal.
  reason.remove();
  server.end('idle-timeout');
  const controller = new AbortController();
  const outcome = tab.client.fetch('/api/search?q=a', { signal: controller.signal }).then(
    (r) => `resolved ${r.status}`,
    (e: unknown) => (e instanceof Error || e instanceof DOMException ? e.name : String(e)),
  );
  await browser.clock.advanceAsync(1_000);
  controller.abort();
  await flush();
  expect(await outcome).toBe('AbortError');
  await browser.clock.advanceAsync(40_000);
  tab.close();
});
