import { afterEach, expect, it, vi } from 'vitest';
import { createClientCore, createSessionClient } from './index.js';
import { createFakeServer, createVirtualClock, flush } from './testing/index.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

function signedIn() {
  const clock = createVirtualClock();
  const server = createFakeServer({ now: clock.now, idleTimeoutMs: 600_000 });
  server.signIn();
  return { now: clock.now, timers: clock.timers, fetch: server.fetch, locks: null };
}

it('runs the tab alone, as its own leader, in a browser without BroadcastChannel', async () => {
  vi.stubGlobal('BroadcastChannel', undefined);
  const client = createSessionClient(signedIn());
  expect(client.getSnapshot().isLeader).toBe(true);
  await flush();
  expect(client.getSnapshot().state).toBe('active');
  client.destroy();
});

it('runs the tab alone when the channel factory throws, instead of throwing into the page', async () => {
  const client = createClientCore({
    ...signedIn(),
    channel: () => {
      throw new Error('No usable method found');
    },
  });
  expect(client.getSnapshot().isLeader).toBe(true);
  await flush();
  expect(client.getSnapshot().state).toBe('active');
  client.destroy();
});

it('re-authenticates without a lock where the browser has none (`locks: false`)', async () => {
  vi.stubGlobal('navigator', {});
  // Not in the type, but accepted for "none" like `null` (as a page without types may pass it).
  const client = createClientCore({ ...signedIn(), locks: false as unknown as null });
  await flush();
  expect(await client.reauthenticate()).toBe(true);
  client.destroy();
});
