// @vitest-environment node
import { expect, it, vi } from 'vitest';

it('imports and starts on a server (no window) without touching the DOM or throwing', async () => {
  expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined');
  const { createSessionClient } = await import('./index.js');
  const calls: string[] = [];
  const client = createSessionClient({
    fetch: async (input) => {
      calls.push(String(input));
      return new Response('{}', { status: 503 });
    },
  });
  expect(client.getSnapshot().state).toBe('unknown');
  expect(calls).toEqual(['/session/status']);
  client.destroy();
});

it('stays inert on a server without a fetch option: no request, no timer holding the process', async () => {
  expect(typeof (globalThis as { location?: unknown }).location).toBe('undefined');
  const fetchSpy = vi.spyOn(globalThis, 'fetch');
  const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
  try {
    const { createSessionClient } = await import('./index.js');
    const client = createSessionClient();
    await client.extend();
    await new Promise((resolve) => setImmediate(resolve));
    expect(client.getSnapshot().state).toBe('unknown');
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(setTimeoutSpy).not.toHaveBeenCalled();
    expect(await client.reauthenticate()).toBe(false);
    let closed = 0;
    const inert = createSessionClient({
      channel: () => ({
        post() {},
        onMessage: () => () => {},
        onLeadership: () => () => {},
        isLeader: () => true,
        close() {
          closed++;
        },
      }),
    });
    inert.destroy();
    inert.destroy();
    expect(closed).toBe(1);
    client.destroy();
  } finally {
    fetchSpy.mockRestore();
    setTimeoutSpy.mockRestore();
  }
});

it("opens no cross-tab channel on a server: one person's session never reaches another's client", async () => {
  const { broadcastChannel, createClientCore } = await import('./index.js');
  // Node has a `BroadcastChannel` of its own, shared by everything in the process.
  expect(typeof globalThis.BroadcastChannel).toBe('function');
  const statusOf = (name: string) => async () => {
    const now = Date.now();
    return Response.json({
      state: 'active',
      now,
      idleExpiresAt: now + 600_000,
      absoluteExpiresAt: now + 3_600_000,
      idleTimeoutMs: 600_000,
      canReauth: false,
      user: { name },
    });
  };
  // Two requests rendered on the server, each with a client for its own person.
  const alice = createClientCore({ channel: broadcastChannel, fetch: statusOf('alice') });
  await alice.refresh();
  const bob = createClientCore({ channel: broadcastChannel, fetch: statusOf('bob') });
  await bob.refresh();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const seen = alice.getSnapshot().user;
  alice.destroy();
  bob.destroy();
  expect(seen).toEqual({ name: 'alice' });
  // The factory refuses, and the client runs alone, as where a browser has no channel.
  expect(() => broadcastChannel('lifeline')).toThrow(TypeError);
});
