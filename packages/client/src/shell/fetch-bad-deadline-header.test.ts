import { describe, expect, it } from 'vitest';
import type { SessionEventOf } from '../index.js';
import { createFakeServer, createSimulatedBrowser, flush } from '../testing/index.js';

const MIN = 60_000;

/**
 * A `Session-Deadline` header the client cannot use, on an app response through the
 * wrapped `fetch` (a proxy that mangled or doubled it, a server bug): the response still
 * reaches the caller, the session keeps its deadlines, and an `error` event says so. It
 * used to be dropped without a word.
 */
function tabAnswering(header: (now: number, idle: number, absolute: number) => string) {
  const browser = createSimulatedBrowser();
  const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: 10 * MIN });
  server.signIn();
  const tab = browser.openTab({
    fetch: async (input, init) => {
      const res = await server.fetch(input, init);
      const url = new URL(input instanceof Request ? input.url : String(input), 'http://app.test');
      if (url.pathname !== '/api/data') return res;
      const snapshot = tab.client.getSnapshot();
      const headers = new Headers(res.headers);
      const idle = (snapshot.idleExpiresAt ?? 0) + 5 * MIN;
      headers.set('Session-Deadline', header(browser.clock.now(), idle, idle + 60 * MIN));
      return new Response('payload', { status: 200, headers });
    },
  });
  const errors: SessionEventOf<'error'>[] = [];
  const others: string[] = [];
  tab.client.on('error', (e) => errors.push(e));
  for (const type of ['expired', 'signed-out', 'warning', 'extended'] as const) {
    tab.client.on(type, () => others.push(type));
  }
  return { browser, tab, errors, others };
}

describe('a malformed Session-Deadline header on an app response', () => {
  for (const [label, header] of [
    ['garbage', () => 'soon'],
    ['a part missing', (now: number, idle: number) => `idle=${idle}, now=${now}`],
    [
      'a number with a unit',
      (now: number, idle: number, abs: number) => `idle=${idle}ms, absolute=${abs}, now=${now}`,
    ],
    [
      'sent twice with different deadlines',
      (now: number, idle: number, abs: number) =>
        `idle=${idle}, absolute=${abs}, now=${now}, idle=${idle + MIN}, absolute=${abs}, now=${now}`,
    ],
    [
      'deadlines already past',
      (now: number) => `idle=${now - 1000}, absolute=${now + MIN}, now=${now}`,
    ],
  ] as const) {
    it(`reaches the caller, changes no deadline and is reported as an error (${label})`, async () => {
      const { browser, tab, errors, others } = tabAnswering(header);
      await flush();
      const before = tab.client.getSnapshot();
      browser.clock.advance(1000);
      const res = await tab.client.fetch('/api/data');
      expect(await res.text()).toBe('payload');
      await flush();
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({
        operation: 'fetch',
        trigger: 'response',
        local: true,
        willRetry: false,
        tabId: before.tabId,
      });
      expect(String(errors[0]?.error)).toMatch(/Session-Deadline/);
      expect(others).toEqual([]);
      const after = tab.client.getSnapshot();
      expect(after.state).toBe('active');
      expect(after.idleExpiresAt).toBe(before.idleExpiresAt);
      expect(after.absoluteExpiresAt).toBe(before.absoluteExpiresAt);
      tab.close();
    });
  }

  it('a well-formed header is taken, with no error', async () => {
    const { tab, errors } = tabAnswering(
      (now, idle, abs) => `idle=${idle}, absolute=${abs}, now=${now}`,
    );
    await flush();
    const before = tab.client.getSnapshot().idleExpiresAt ?? 0;
    await tab.client.fetch('/api/data');
    await flush();
    expect(errors).toEqual([]);
    expect(tab.client.getSnapshot().idleExpiresAt).toBe(before + 5 * MIN);
    tab.close();
  });
});
