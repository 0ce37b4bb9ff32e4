import { expect, it } from 'vitest';
import { SessionExpiredError } from '../errors.js';
import { createFakeServer, createSimulatedBrowser, flush } from '../testing/index.js';

const MIN = 60_000;

/**
 * A signed-in browser whose requests to URLs `answers401` picks get another layer's 401:
 * plain JSON with a session-like `code`, which says nothing of the Lifeline session.
 */
function withForeign401(answers401: (url: string) => boolean) {
  const browser = createSimulatedBrowser();
  const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: 10 * MIN });
  server.signIn();
  const fetcher: typeof fetch = async (input, init) => {
    const r = new Request(input as RequestInfo, init);
    if (!answers401(r.url)) return server.fetch(r);
    return new Response(JSON.stringify({ code: 'session_expired', message: 'token expired' }), {
      status: 401,
      headers: { 'content-type': 'application/json' },
    });
  };
  return { browser, server, tab: browser.openTab({ fetch: fetcher }) };
}

it('a same-origin 401 that is not a problem+json (plain JSON from another API) passes untouched', async () => {
  // A legacy API proxied under the same origin, with its own token auth.
  const { server, tab } = withForeign401((url) => url.includes('/legacy/'));
  await flush();
  const events: string[] = [];
  tab.client.on('expired', (e) => events.push(`expired:${e.reason}`));
  const outcome = await tab.client.fetch('/legacy/orders').then(
    (r) => r.status,
    (e) => (e instanceof SessionExpiredError ? 'SessionExpiredError' : String(e)),
  );
  expect({
    outcome,
    reauths: server.calls.get('/session/reauth') ?? 0,
    events,
    state: tab.client.getSnapshot().state,
  }).toEqual({ outcome: 401, reauths: 0, events: [], state: 'active' });
  tab.close();
});

it('a 401 to a session route that is not a problem+json (a gateway in front of it) ends nothing', async () => {
  let gateway = false;
  // A gateway in front of /session with its own token check.
  const { tab } = withForeign401((url) => gateway && url.includes('/session/'));
  await flush();
  const events: string[] = [];
  for (const type of ['error', 'expired', 'signed-out'] as const) {
    tab.client.on(type, () => events.push(type));
  }
  gateway = true;
  expect(await tab.client.refresh()).toBe(false);
  expect({ events, state: tab.client.getSnapshot().state }).toEqual({
    events: ['error'],
    state: 'active',
  });
  tab.close();
});
