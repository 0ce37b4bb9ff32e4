import { describe, expect, it } from 'vitest';
import { createFakeServer, createSimulatedBrowser, flush } from '../testing/index.js';

const MIN = 60_000;

describe('a cross-tab message that is well-formed but for one field', () => {
  // An ending whose extra `status` field is not a status body: the core reads a status
  // wherever that field is, so the message must be refused as a whole.
  for (const status of ['x', {}, null]) {
    it(`is ignored and reported, keeping the deadlines (status: ${JSON.stringify(status)})`, async () => {
      const browser = createSimulatedBrowser();
      const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: 10 * MIN });
      server.signIn();
      const tab = browser.openTab({ fetch: server.fetch });
      browser.clock.advance(0);
      await flush(20);
      const before = tab.client.getSnapshot();
      const errors: string[] = [];
      tab.client.on('error', (e) => errors.push(e.operation));
      browser.hub.inject({
        v: 2,
        from: 'x',
        trigger: 'status',
        type: 'answer',
        op: 'status',
        sentAt: browser.clock.now(),
        reason: 'revoked',
        status,
      });
      await flush(20);
      expect(errors).toEqual(['channel']);
      expect(tab.client.getSnapshot()).toMatchObject({
        state: 'active',
        idleExpiresAt: before.idleExpiresAt,
      });
      tab.close();
    });
  }
});

describe('a cross-tab status whose user claims JSON cannot write', () => {
  // Structured cloning carries what JSON cannot (a BigInt, a cycle), and the snapshot is
  // compared as JSON: such claims, once stored, would make every later step throw.
  const cycle: Record<string, unknown> = { id: 'u1' };
  cycle.self = cycle;
  for (const [label, user] of [
    ['a BigInt', { id: 1n }],
    ['a cycle', cycle],
  ] as const) {
    it(`is ignored and reported, and the tab goes on extending (${label})`, async () => {
      const browser = createSimulatedBrowser();
      const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: 10 * MIN });
      server.signIn();
      const tab = browser.openTab({ fetch: server.fetch });
      browser.clock.advance(0);
      await flush(20);
      const before = tab.client.getSnapshot();
      const errors: string[] = [];
      tab.client.on('error', (e) => errors.push(e.operation));
      const now = browser.clock.now();
      browser.hub.inject({
        v: 2,
        from: 'x',
        trigger: 'status',
        type: 'answer',
        op: 'status',
        sentAt: now,
        receivedAt: now,
        status: {
          state: 'active',
          now,
          idleTimeoutMs: 10 * MIN,
          canReauth: true,
          idleExpiresAt: before.idleExpiresAt,
          absoluteExpiresAt: before.absoluteExpiresAt,
          user,
        },
      });
      await flush(20);
      expect(errors).toEqual(['channel']);
      expect(tab.client.getSnapshot()).toBe(before);
      // The person then chooses to stay: the snapshot follows the extension.
      browser.clock.advance(MIN);
      await tab.client.extend();
      await flush(20);
      expect(tab.client.getSnapshot().idleExpiresAt).toBe((before.idleExpiresAt ?? 0) + MIN);
      tab.close();
    });
  }
});
