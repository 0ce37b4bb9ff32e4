import { afterEach, expect, it } from 'vitest';
import { flush } from '../testing/index.js';
import { slowReauthBrowser } from './slow-reauth.fixture.js';

// The prototype that gives a Request's signal its `reason` in this environment.
let owner: object | null = Object.getPrototypeOf(new Request('http://app.test/').signal);
while (owner && !Object.hasOwn(owner, 'reason')) owner = Object.getPrototypeOf(owner);
const proto = owner!;
const original = Object.getOwnPropertyDescriptor(proto, 'reason')!;
afterEach(() => {
  Object.defineProperty(proto, 'reason', original);
});

// Safari before 15.4 and Chrome before 98 have no AbortSignal#reason (the project already
// supports them: see fetch-old-signal.test.ts). A plain fetch there rejects an aborted call
// with a DOMException named AbortError; so must the wrapper.
it('rejects an abort made during the re-auth with an AbortError where AbortSignal has no reason', async () => {
  const { browser, server, open, settle } = slowReauthBrowser();
  const tab = open();
  await settle();
  // As in Safari 15.0–15.3: no `reason` on AbortSignal.
  Object.defineProperty(proto, 'reason', { get: () => undefined, configurable: true });
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
