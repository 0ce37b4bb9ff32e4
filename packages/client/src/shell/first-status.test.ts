import { describe, expect, it } from 'vitest';
import {
  createFakeServer,
  createSimulatedBrowser,
  type FakeServer,
  flush,
  type SimulatedTab,
} from '../testing/index.js';
import type { SessionEvent } from '../types.js';
import type { SessionStatus } from '../wire.js';
import { lateAnswers } from './late-answers.fixture.js';

const MIN = 60_000;

/**
 * A browser and a server where nobody is signed in yet. The app's login form posts to
 * `/api/login` (through `session.fetch()`): the server signs the person in and answers with
 * the new session's `Session-Deadline` header, as every app route does.
 */
function signedOut() {
  const browser = createSimulatedBrowser();
  const server = createFakeServer({
    now: browser.clock.now,
    idleTimeoutMs: 10 * MIN,
    absoluteTimeoutMs: 60 * MIN,
  });
  const withLogin: typeof fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url.endsWith('/api/login')) server.signIn();
    return server.fetch(input, init);
  };
  /** A `fetch` whose answers to the requests `gated` picks reach the page after `release()`. */
  const slow = (gated: (url: string) => boolean) =>
    lateAnswers({ ...server, fetch: withLogin }, gated);
  /**
   * A `fetch` whose login is slow: the new cookie is set only when its answer arrives,
   * after `release()`, so the server (one cookie's view) signs in only then.
   */
  const slowLogin = () => {
    let release = () => {};
    const arrived = new Promise<void>((resolve) => {
      release = resolve;
    });
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.endsWith('/api/login')) await arrived;
      return withLogin(input, init);
    };
    return { fetch, release: () => release() };
  };
  const step = async (ms: number) => {
    browser.clock.advance(ms);
    await flush(20);
  };
  return { browser, server, fetch: withLogin, slow, slowLogin, step };
}

/** The live session's deadlines, as the server tells them (its clock is the tabs'). */
async function serverDeadlines(server: FakeServer) {
  const status = (await (await server.fetch('/session/status')).json()) as SessionStatus;
  if (status.state !== 'active') throw new Error('no live session');
  return { idleExpiresAt: status.idleExpiresAt, absoluteExpiresAt: status.absoluteExpiresAt };
}

/** What the person sees: the state and the deadlines shown. */
function shown(tab: SimulatedTab) {
  const { state, idleExpiresAt, absoluteExpiresAt } = tab.client.getSnapshot();
  return { state, idleExpiresAt, absoluteExpiresAt };
}

/**
 * Checks that `tab` shows the live session with the server's deadlines, up to the clock
 * estimate's error: half the round trip it was taken from (these tests' longest take 3 s).
 */
async function showsLive(tab: SimulatedTab, server: FakeServer) {
  const seen = shown(tab);
  const real = await serverDeadlines(server);
  expect(seen.state).toBe('active');
  expect(Math.abs(seen.idleExpiresAt! - real.idleExpiresAt)).toBeLessThanOrEqual(1500);
  expect(Math.abs(seen.absoluteExpiresAt! - real.absoluteExpiresAt)).toBeLessThanOrEqual(1500);
}

/** The events a tab emits about the session ending. */
function endings(tab: SimulatedTab) {
  const seen: SessionEvent[] = [];
  for (const type of ['expired', 'signed-out'] as const) {
    tab.client.on(type, (event) => seen.push(event));
  }
  return seen;
}

/** Opens tab b, whose first /status is held back until `bStatus.release()`. */
function openSlowTab({ browser, slow }: Pick<ReturnType<typeof signedOut>, 'browser' | 'slow'>) {
  const bStatus = slow((url) => url.endsWith('/session/status'));
  const b = browser.openTab({ fetch: bStatus.fetch });
  return { b, bStatus, ended: endings(b) };
}

/** Both tabs show the live session, b fired no ending, and both close. */
async function bothLive(
  a: SimulatedTab,
  b: SimulatedTab,
  ended: SessionEvent[],
  server: FakeServer,
) {
  await showsLive(a, server);
  await showsLive(b, server);
  expect(ended).toEqual([]);
  a.close();
  b.close();
}

describe("a page's first /status, slower than a sign-in", () => {
  it('answering "none" after another tab\'s news of the sign-in does not end it', async () => {
    const { browser, server, fetch, slow, step } = signedOut();
    const a = browser.openTab({ fetch });
    await step(1000);
    // Tab b opens; its first /status is answered at once ("none"), but reaches it late.
    const { b, bStatus, ended } = openSlowTab({ browser, slow });
    await step(1000);
    expect(shown(b).state).toBe('unknown');
    // The person signs in through tab a's login form; tab b hears of it.
    await a.client.fetch('/api/login', { method: 'POST' });
    await step(1000);
    await showsLive(a, server);
    await showsLive(b, server);
    // Tab b's /status ("none", for the cookie from before the sign-in) arrives.
    bStatus.release();
    await step(1000);
    await showsLive(b, server);
    expect(ended).toEqual([]);
    a.close();
    b.close();
  });

  it('answering "none" while another tab\'s sign-in is on its way does not end it', async () => {
    const { browser, server, slow, slowLogin, step } = signedOut();
    const login = slowLogin();
    const a = browser.openTab({ fetch: login.fetch });
    await step(1000);
    // Tab b opens; its first /status ("none") is slow to arrive.
    const { b, bStatus, ended } = openSlowTab({ browser, slow });
    await step(1000);
    // The person signs in through tab a's login form; its answer is slow too.
    const signedIn = a.client.fetch('/api/login', { method: 'POST' });
    await step(1000);
    // Tab b's "none" arrives first; then the sign-in's answer, which tab a tells b of.
    bStatus.release();
    await step(1000);
    login.release();
    await signedIn;
    await step(1000);
    await bothLive(a, b, ended, server);
  });

  it('answering "none" after the news of a sign-in sent before it does not end it', async () => {
    const { browser, server, slow, slowLogin, step } = signedOut();
    const login = slowLogin();
    const a = browser.openTab({ fetch: login.fetch });
    await step(1000);
    // The person signs in through tab a's login form; its answer is slow.
    const signedIn = a.client.fetch('/api/login', { method: 'POST' });
    await step(1000);
    // Tab b opens meanwhile, before the new cookie is set: its first /status (slow to
    // arrive) carries none, and the server answers "none".
    const { b, bStatus, ended } = openSlowTab({ browser, slow });
    await step(1000);
    login.release();
    await signedIn;
    await step(1000);
    await showsLive(b, server);
    bStatus.release();
    await step(1000);
    await bothLive(a, b, ended, server);
  });

  it('answering "none" after a sign-in through session.fetch() does not fire expired', async () => {
    const { browser, server, slow, step } = signedOut();
    const status = slow((url) => url.endsWith('/session/status'));
    const tab = browser.openTab({ fetch: status.fetch });
    const ended = endings(tab);
    await step(1000);
    expect(shown(tab).state).toBe('unknown');
    // The person signs in through the page's login form, posted through the wrapper.
    await tab.client.fetch('/api/login', { method: 'POST' });
    await step(1000);
    await showsLive(tab, server);
    // The page's first /status ("none", for the cookie from before the sign-in) arrives.
    status.release();
    await step(1000);
    await showsLive(tab, server);
    expect(ended).toEqual([]);
    tab.close();
  });
});
