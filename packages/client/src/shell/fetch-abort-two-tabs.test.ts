import { expect, it } from 'vitest';
import { flush } from '../testing/index.js';
import { slowReauthBrowser } from './slow-reauth.fixture.js';

it('two tabs: aborted callers during a failing re-auth give one expired per tab', async () => {
  const { browser, server, open, settle } = slowReauthBrowser({ ms: 5_000, succeeds: false });
  const a = open();
  const b = open();
  await settle();
  const events: string[] = [];
  for (const [n, t] of [
    ['a', a],
    ['b', b],
  ] as const) {
    t.client.on('expired', (e) => events.push(`${n}:expired:${e.reason}`));
  }
  server.end('revoked');
  const ca = new AbortController();
  const cb = new AbortController();
  const pa = a.client.fetch('/api/x', { signal: ca.signal }).catch((e) => e.name);
  const pa2 = a.client.fetch('/api/y', { signal: ca.signal }).catch((e) => e.name);
  const pb = b.client.fetch('/api/z', { signal: cb.signal }).catch((e) => e.name);
  await browser.clock.advanceAsync(1_000);
  ca.abort();
  cb.abort();
  expect([await pa, await pa2, await pb]).toEqual(['AbortError', 'AbortError', 'AbortError']);
  await browser.clock.advanceAsync(20_000);
  await flush();
  // sign in again, and a late second abort does nothing
  server.signIn();
  await a.client.refresh();
  await browser.clock.advanceAsync(1_000);
  await flush();
  expect(events.sort()).toEqual(['a:expired:revoked', 'b:expired:revoked']);
  expect([a.client.getSnapshot().state, b.client.getSnapshot().state]).toEqual([
    'active',
    'active',
  ]);
  a.close();
  b.close();
});
