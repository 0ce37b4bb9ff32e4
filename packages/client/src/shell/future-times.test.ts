import { afterEach, expect, it, vi } from 'vitest';
import {
  createFakeServer,
  createSimulatedBrowser,
  createVirtualClock,
  flush,
} from '../testing/index.js';
import { lateAnswers } from './late-answers.fixture.js';
import { signedInBrowser } from './signed-in.fixture.js';

const MIN = 60_000;
afterEach(() => {
  vi.restoreAllMocks();
});

// A time another tab tells of, ahead of this tab's clock (a stray message, a tab whose clock
// reads ahead, a clock step while the message waited), must not put an ending in this tab's
// future: every answer until then would be refused as older than it, so a sign-in in this
// tab was not shown and no keepalive ran.
it('a stray ending dated in the future does not stop the tab taking a new sign-in', async () => {
  const { browser, server, open, step } = signedInBrowser();
  const tab = open();
  await step(0);
  browser.hub.inject({
    v: 2,
    from: 'stray',
    trigger: 'status',
    type: 'answer',
    op: 'status',
    reason: 'revoked',
    sentAt: browser.clock.now() + 60 * MIN,
  });
  await step(0);
  expect(tab.client.getSnapshot().state).toBe('expired');
  server.signIn();
  await step(1_000);
  await tab.client.refresh();
  await step(0);
  expect(tab.client.getSnapshot().state).toBe('active');
  tab.close();
});

/**
 * A signed-in browser whose tabs run on the default clock (`now: undefined` when opened),
 * with a wall clock (`Date.now`) that `stepBack(ms)` sets back behind the monotonic one.
 */
function steppableClock() {
  const clock = createVirtualClock();
  let back = 0;
  vi.spyOn(Date, 'now').mockImplementation(() => clock.now() - back);
  const origin = performance.timeOrigin;
  vi.spyOn(performance, 'now').mockImplementation(() => clock.now() - origin);
  const browser = createSimulatedBrowser({ clock });
  const server = createFakeServer({ now: clock.now, idleTimeoutMs: 10 * MIN });
  server.signIn();
  const stepBack = (ms: number) => {
    back = ms;
  };
  return { clock, browser, server, stepBack };
}

async function frozenAcrossAStep() {
  const { clock, browser, server, stepBack } = steppableClock();
  const withLogin: typeof fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url.endsWith('/api/login')) server.signIn();
    return server.fetch(input, init);
  };
  // Both tabs on the default clock, both of this version.
  const a = browser.openTab({ fetch: withLogin, now: undefined });
  const b = browser.openTab({ fetch: withLogin, now: undefined });
  await clock.advanceAsync(0);
  await flush();
  expect(b.client.getSnapshot().state).toBe('active');
  b.freeze();
  await a.client.logout();
  await flush();
  // NTP sets the computer's clock back an hour while b is frozen.
  stepBack(60 * MIN);
  await clock.advanceAsync(MIN);
  b.show();
  await flush();
  expect(b.client.getSnapshot().state).toBe('signed-out');
  a.close();
  // The person signs in again through b's login form.
  await clock.advanceAsync(10_000);
  await b.client.fetch('/api/login', { method: 'POST' });
  await flush();
  return { clock, server, b };
}

it('a frozen tab that hears a sign-out across a clock step back takes a sign-in after it', async () => {
  const { b } = await frozenAcrossAStep();
  expect(b.client.getSnapshot().state).toBe('active');
  b.close();
});

it('a frozen tab that heard a sign-out across a clock step back keeps the person who then works in it signed in', async () => {
  const { clock, server, b } = await frozenAcrossAStep();
  for (let t = 0; t < 15 * MIN; t += 10_000) {
    b.act();
    await clock.advanceAsync(10_000);
  }
  await flush();
  expect({ live: server.live(), state: b.client.getSnapshot().state }).toEqual({
    live: true,
    state: 'active',
  });
  b.close();
});

// The `fetch` wrapper's re-auth: a 401 to a request sent before a sign-in in another tab,
// arriving after its news, is repeated with the new cookie, also while the page's own first
// `/status` is still on its way.
for (const firstStatusBack of [true, false]) {
  it(`an app request sent before a sign-in elsewhere, answered 401 after the news (first /status ${firstStatusBack ? 'back' : 'still on its way'}), is replayed without a re-auth`, async () => {
    const browser = createSimulatedBrowser();
    const server = createFakeServer({
      now: browser.clock.now,
      idleTimeoutMs: 10 * MIN,
      canReauth: false,
    });
    const withLogin: typeof fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.endsWith('/api/login')) server.signIn();
      return server.fetch(input, init);
    };
    const step = async (ms: number) => {
      browser.clock.advance(ms);
      await flush(20);
    };
    const a = browser.openTab({ fetch: withLogin });
    await step(1000);
    const status = lateAnswers({ ...server, fetch: withLogin }, (url) =>
      url.endsWith('/session/status'),
    );
    const data = lateAnswers({ ...server, fetch: status.fetch }, (url) =>
      url.endsWith('/api/data'),
    );
    const b = browser.openTab({ fetch: data.fetch });
    const failed: unknown[] = [];
    b.client.on('reauth-failed', (e) => failed.push(e));
    if (firstStatusBack) status.release();
    await step(1000);
    // The app asks for data before the person signs in (no cookie yet: 401, arriving late).
    const answer = b.client.fetch('/api/data').then(
      (r) => r.status,
      (e: unknown) => String(e),
    );
    await step(1000);
    await a.client.fetch('/api/login', { method: 'POST' });
    await step(1000);
    expect(b.client.getSnapshot().state).toBe('active');
    data.release();
    await step(1000);
    expect({
      answer: await answer,
      reauths: server.calls.get('/session/reauth') ?? 0,
      failed: failed.length,
    }).toEqual({ answer: 200, reauths: 0, failed: 0 });
    status.release();
    await step(1000);
    expect(b.client.getSnapshot().state).toBe('active');
    a.close();
    b.close();
  });
}

// A frozen follower hears, after a clock step back, an extension its leader posted before
// the step. `retimed` caps both heard times at this tab's now(): a round trip of 0 ms,
// which `sample()` takes as the most precise ever, with the server's (old) `now` against
// this tab's present: the offset is off by how long the message waited, and so are the
// deadlines the tab shows (later than the server's) until another sample contradicts it.
it('a heard answer capped at now does not move the deadlines a frozen tab shows', async () => {
  const { clock, browser, server, stepBack } = steppableClock();
  let bOffline = false;
  const bFetch: typeof fetch = async (input, init) => {
    if (bOffline) throw new TypeError('Failed to fetch');
    return server.fetch(input, init);
  };
  const a = browser.openTab({ fetch: server.fetch, now: undefined });
  const b = browser.openTab({ fetch: bFetch, now: undefined });
  await clock.advanceAsync(0);
  await flush();
  expect(a.client.getSnapshot().isLeader).toBe(true);
  b.freeze();
  await clock.advanceAsync(MIN);
  await a.client.extend();
  await flush();
  const real = a.client.getSnapshot().idleExpiresAt;
  // NTP sets the clock back an hour while b sleeps frozen; b wakes 4 minutes later, its
  // own re-check failing (the network is not back yet).
  stepBack(60 * MIN);
  await clock.advanceAsync(4 * MIN);
  bOffline = true;
  b.resume();
  await flush();
  expect(b.client.getSnapshot().idleExpiresAt).toBe(real);
  a.close();
  b.close();
});
