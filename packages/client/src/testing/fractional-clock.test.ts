// The virtual clock takes any finite ms (`advance(16.7)`, a frame; a start of
// `performance.timeOrigin + performance.now()`), and the client reads a clock with
// fractions as whole ms (shell/client.ts). The fake server built on that clock must then
// still be understood: its times go out as they are, and the client refuses a status whose
// `now` or deadlines are not whole epoch ms (core/parse.ts `epoch`), so the tab never
// learns the session ("status: unexpected answer (HTTP 200 undefined)").
import { expect, it } from 'vitest';
import type { SessionEvent } from '../types.js';
import { createFakeServer, createSimulatedBrowser, createVirtualClock, flush } from './index.js';

it('a tab learns the session when the virtual clock reads fractions of a ms', async () => {
  const browser = createSimulatedBrowser();
  browser.clock.advance(0.5);
  const server = createFakeServer({ now: browser.clock.now });
  server.signIn();
  const tab = browser.openTab({ fetch: server.fetch });
  const errors: SessionEvent[] = [];
  tab.client.on('error', (e) => errors.push(e));
  await flush();
  expect(errors).toEqual([]);
  expect(tab.client.getSnapshot().state).toBe('active');
  tab.close();
});

it('a fractional start: a sign-out in one tab reaches the other', async () => {
  const browser = createSimulatedBrowser({
    clock: createVirtualClock(Date.UTC(2030, 0, 1) + 0.25),
  });
  const server = createFakeServer({ now: browser.clock.now });
  server.signIn();
  const [a, b] = [
    browser.openTab({ fetch: server.fetch }),
    browser.openTab({ fetch: server.fetch }),
  ];
  await flush();
  expect(b.client.getSnapshot().state).toBe('active');
  await a.client.logout();
  await flush();
  expect(b.client.getSnapshot().state).toBe('signed-out');
  a.close();
  b.close();
});

it('a fake server on the client default clock (`defaultNow`, which reads fractions) is understood', async () => {
  const { createClientCore, defaultNow } = await import('../index.js');
  // `FakeServerOptions.now` is "the client's clock"; `defaultNow` is the clock the client
  // runs on unless given `now` (docs/client.md).
  const server = createFakeServer({ now: defaultNow });
  server.signIn();
  const client = createClientCore({
    endpoint: 'http://app.test/session',
    fetch: server.fetch,
    document: null,
    window: null,
    activity: false,
    locks: null,
  });
  const errors: SessionEvent[] = [];
  client.on('error', (e) => errors.push(e));
  await client.refresh();
  expect(errors).toEqual([]);
  expect(client.getSnapshot().state).toBe('active');
  client.destroy();
});
