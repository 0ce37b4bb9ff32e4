// @vitest-environment node
// Node has no `location`: a relative URL resolves against the simulated page's address.
import { describe, expect, it } from 'vitest';
import { createFakeServer, createSimulatedBrowser, flush } from './index.js';

const MIN = 60_000;

function signedIn(url?: string) {
  const browser = createSimulatedBrowser(url ? { url } : {});
  const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: 10 * MIN });
  server.signIn();
  const urls: string[] = [];
  const tab = browser.openTab({
    fetch: (input, init) => {
      if (input instanceof Request) urls.push(input.url);
      return server.fetch(input, init);
    },
  });
  return { browser, tab, urls };
}

describe('the simulated page address, in a test environment without location', () => {
  it('client.fetch("/relative") reaches the app and slides the session', async () => {
    const { browser, tab, urls } = signedIn();
    await flush();
    const before = tab.client.getSnapshot().idleExpiresAt ?? 0;
    browser.clock.advance(2 * MIN);
    const res = await tab.client.fetch('/api/data', { method: 'POST', body: 'draft' });
    expect((await res.json()).body).toBe('draft');
    expect(urls).toEqual([`${browser.url.replace(/\/$/, '')}/api/data`]);
    expect(tab.client.getSnapshot().idleExpiresAt).toBe(before + 2 * MIN);
    tab.close();
  });

  it('resolves against the address given, as the page at that address would', async () => {
    const { tab, urls } = signedIn('https://app.example/shop/');
    await tab.client.fetch('cart');
    await tab.client.fetch(new URL('/api/me', 'https://app.example'));
    expect(urls).toEqual(['https://app.example/shop/cart', 'https://app.example/api/me']);
    tab.close();
  });
});
