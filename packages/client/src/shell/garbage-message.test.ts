import { describe, expect, it } from 'vitest';
import { flush } from '../testing/index.js';
import { signedInBrowser } from './signed-in.fixture.js';

const MIN = 60_000;

/** What another tab's message passing on a `/status` answer starts with. */
const ANOTHER_TABS_STATUS = { v: 2, from: 'x', trigger: 'status', type: 'answer', op: 'status' };

/** One signed-in tab (idle 10 min), its first snapshot, and the operations of its `error` events. */
async function signedInTabRecordingErrors() {
  const { browser, open, step } = signedInBrowser();
  const tab = open();
  await step(0);
  const errors: string[] = [];
  tab.client.on('error', (e) => errors.push(e.operation));
  return { browser, tab, before: tab.client.getSnapshot(), errors };
}

describe('a cross-tab message that is well-formed but for one field', () => {
  // An ending whose extra `status` field is not a status body: the core reads a status
  // wherever that field is, so the message must be refused as a whole.
  for (const status of ['x', {}, null]) {
    it(`is ignored and reported, keeping the deadlines (status: ${JSON.stringify(status)})`, async () => {
      const { browser, tab, before, errors } = await signedInTabRecordingErrors();
      browser.hub.inject({
        ...ANOTHER_TABS_STATUS,
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
      const { browser, tab, before, errors } = await signedInTabRecordingErrors();
      const now = browser.clock.now();
      browser.hub.inject({
        ...ANOTHER_TABS_STATUS,
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

describe('a tab with a long tabId of the app', () => {
  it('is heard by the other tabs: any string is a tab id', async () => {
    // Say, the app's own id for the tab: a UUID and the path.
    const tabId = `${crypto.randomUUID()}:${'/orders/2024/'.repeat(6)}`;
    const { browser, server, open, step } = signedInBrowser();
    const other = open();
    const tab = browser.openTab({ fetch: server.fetch, tabId });
    await step(0);
    const errors: string[] = [];
    other.client.on('error', (e) => errors.push(e.operation));
    await tab.client.logout();
    await flush(20);
    expect(errors).toEqual([]);
    expect(other.client.getSnapshot().state).toBe('signed-out');
  });
});
