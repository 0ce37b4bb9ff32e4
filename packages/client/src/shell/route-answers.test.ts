import { describe, expect, it } from 'vitest';
import type { SessionEventOf } from '../index.js';
import { createFakeServer, createSimulatedBrowser, flush } from '../testing/index.js';

const MIN = 60_000;

/**
 * A signed-in tab (idle 10 min) whose requests `intercept` answers in the server's place
 * (a proxy) or, once the server answered, `rewrite` replaces, while they give a response;
 * `sent` lists the paths asked for.
 */
function tabWith(
  rewrite: (path: string, res: Response) => Response | null | Promise<Response | null>,
  intercept: (path: string) => Response | null = () => null,
) {
  const browser = createSimulatedBrowser();
  const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: 10 * MIN });
  server.signIn();
  const sent: string[] = [];
  const tab = browser.openTab({
    fetch: async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input), 'http://app.test');
      sent.push(url.pathname);
      const proxied = intercept(url.pathname);
      if (proxied) return proxied;
      const res = await server.fetch(input, init);
      return (await rewrite(url.pathname, res)) ?? res;
    },
  });
  const events: string[] = [];
  const errors: SessionEventOf<'error'>[] = [];
  for (const type of ['warning', 'expired', 'signed-out', 'extended'] as const) {
    tab.client.on(type, () => events.push(type));
  }
  tab.client.on('error', (e) => errors.push(e));
  const step = async (ms: number) => {
    await browser.clock.advanceAsync(ms);
    await flush(30);
  };
  return { browser, server, tab, sent, events, errors, step };
}

describe('a sign-out answered without a status body', () => {
  it('is no sign-out when the answer is a proxy page: reported, retried, and sent once the route answers', async () => {
    let proxy = true;
    const t = tabWith(
      () => null,
      (path) =>
        proxy && path === '/session/logout'
          ? new Response('<html>Maintenance</html>', { headers: { 'content-type': 'text/html' } })
          : null,
    );
    await t.step(0);
    expect(await t.tab.client.logout()).toBe(false);
    expect(t.errors.map((e) => [e.operation, e.willRetry])).toEqual([['logout', true]]);
    expect(t.server.live()).toBe(true);
    proxy = false;
    await t.step(2 * MIN);
    expect(t.server.live()).toBe(false);
    expect(t.tab.client.getSnapshot().state).toBe('signed-out');
    t.tab.close();
  });

  it('is a sign-out when the route answers 204 No Content', async () => {
    const t = tabWith(async (path, res) =>
      path === '/session/logout' && res.ok ? new Response(null, { status: 204 }) : null,
    );
    await t.step(0);
    expect(await t.tab.client.logout()).toBe(true);
    expect(t.errors).toEqual([]);
    expect(t.server.live()).toBe(false);
    t.tab.close();
  });
});

describe('a failed check in a signed-out tab', () => {
  it('says it will not be retried, and is not', async () => {
    let down = false;
    const t = tabWith((path) =>
      down && path === '/session/status' ? new Response('down', { status: 503 }) : null,
    );
    await t.step(0);
    await t.tab.client.logout();
    down = true;
    await t.tab.client.refresh();
    const before = t.sent.length;
    await t.step(5 * MIN);
    expect(t.errors.map((e) => [e.operation, e.willRetry])).toEqual([['status', false]]);
    expect(t.sent.length).toBe(before);
    t.tab.close();
  });
});

describe('an idleTimeoutMs shorter than the idle deadline the same answer gives', () => {
  // A server speaking the protocol with the timeout in seconds: 600 for its ten minutes.
  it('is read as at least that long: one extension a minute for a person at work, and a full warning', async () => {
    const t = tabWith(async (path, res) =>
      path.startsWith('/session/') && res.ok
        ? Response.json({ ...(await res.json()), idleTimeoutMs: 600 })
        : null,
    );
    await t.step(0);
    for (let i = 0; i < 60; i++) {
      t.tab.act();
      await t.step(1000);
    }
    expect(t.sent.filter((p) => p === '/session/extend')).toHaveLength(1);
    let warnedAhead = 0;
    t.tab.client.on('warning', (e) => {
      warnedAhead = e.expiresAt - t.browser.clock.now();
    });
    for (let i = 0; i < 11; i++) await t.step(MIN);
    // The default warnBefore: two minutes before the idle deadline.
    expect(warnedAhead).toBeGreaterThanOrEqual(2 * MIN - 1000);
    expect(t.events.filter((e) => e !== 'extended')).toEqual(['warning', 'expired']);
    t.tab.close();
  });
});
