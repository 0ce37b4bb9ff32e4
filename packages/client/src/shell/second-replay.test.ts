import { expect, it } from 'vitest';
import { SessionExpiredError } from '../errors.js';
import { createFakeServer, createSimulatedBrowser, flush } from '../testing/index.js';

const MIN = 60_000;

/**
 * A page whose first /status is slow; a slow app answer (/api/y) brings its first deadlines
 * after the requests under test left (held on their way up by `up`), and the session ends
 * on the server meanwhile: a refused replay then re-authenticates and replays once more.
 */
function loadingPage(
  endWith: 'absolute-timeout' | 'revoked',
  hold?: (url: string, n: number) => Promise<void> | undefined,
) {
  const browser = createSimulatedBrowser();
  const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: 10 * MIN });
  server.signIn();
  const gates = new Map<string, () => void>();
  const held = (name: string) => new Promise<void>((r) => gates.set(name, r));
  const statusDown = held('status');
  const yDown = held('y');
  const up = held('up');
  const seen = new Map<string, number>();
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const path = new URL(url, 'http://app.test').pathname;
    const n = (seen.get(path) ?? 0) + 1;
    seen.set(path, n);
    if (path.startsWith('/api/x') && n === 1) await up; // slow on the way up
    const res = await server.fetch(input, init);
    if (path === '/session/status') await statusDown;
    if (path === '/api/y') await yDown;
    await hold?.(path, n);
    return res;
  };
  const step = async (ms: number) => {
    browser.clock.advance(ms);
    await flush(30);
  };
  const a = browser.openTab({ fetch });
  const start = async (paths: string[], init?: RequestInit) => {
    await step(100);
    const y = a.client.fetch('/api/y');
    await step(100);
    const calls = paths.map((p) =>
      a.client.fetch(p, init).then(
        async (r) => (init?.body ? `${r.status} ${(await r.json()).body}` : r.status),
        (e: unknown) => (e instanceof SessionExpiredError ? 'expired' : String(e)),
      ),
    );
    await step(100);
    server.end(endWith);
    await step(100);
    gates.get('y')!();
    await y;
    await step(100);
    expect(a.client.getSnapshot().state).toBe('active'); // first deadlines, from y
    gates.get('up')!();
    return calls;
  };
  return {
    browser,
    server,
    a,
    step,
    start,
    gates,
    reauths: () => server.calls.get('/session/reauth') ?? 0,
  };
}

// A 401 to a request sent before the page learned its first deadlines (from a slow app
// answer, not a sign-in) is no sign of a new session: those may be the deadlines of the
// session that then ended, and remember-me can still save the request.
it('a 401 to a request sent before the first deadlines were learned still re-authenticates', async () => {
  const { step, start, a, reauths } = loadingPage('absolute-timeout');
  const [x] = await start(['/api/x']);
  await step(100);
  await step(100);
  expect({ x: await x, reauths: reauths() }).toEqual({ x: 200, reauths: 1 });
  a.close();
});

// A refused re-auth in that second round holds the next for 30 s: the page has learned no
// session yet (`sessionAt` is still never), which must not erase the hold.
it('a refused re-auth in the second round still holds the next re-auth for 30 s', async () => {
  const { step, start, a, reauths } = loadingPage('revoked');
  const [x] = await start(['/api/x']);
  await step(100);
  await step(100);
  expect(await x).toBe('expired');
  expect(reauths()).toBe(1); // refused (revoked)
  // The app polls every 5 s: no re-auth per call for 30 s.
  for (const p of ['/api/p1', '/api/p2', '/api/p3']) {
    await step(5000);
    expect(await a.client.fetch(p).catch((e) => e)).toBeInstanceOf(SessionExpiredError);
  }
  expect(reauths()).toBe(1);
  a.close();
});

// Two calls sent before the first deadlines: the first one's re-auth finishes while the
// second one's first replay (sent with the ended session) is on its way back. Its 401 comes
// after the re-auth, and it is replayed once more with the new session.
it('a call whose replay left before a concurrent second-round re-auth finished is replayed with the new session', async () => {
  let release: (() => void) | undefined;
  const x2Back = new Promise<void>((r) => (release = r));
  const { step, start, a, reauths } = loadingPage('absolute-timeout', (path, n) =>
    path === '/api/x2' && n === 2 ? x2Back : undefined,
  );
  const [x1, x2] = await start(['/api/x1', '/api/x2']);
  await step(100);
  await step(100);
  expect(await x1).toBe(200);
  expect(reauths()).toBe(1);
  release!();
  await step(100);
  expect({ x2: await x2, reauths: reauths(), state: a.client.getSnapshot().state }).toEqual({
    x2: 200,
    reauths: 1,
    state: 'active',
  });
  a.close();
});

// Three calls met the 401 together and their replays come back one after another: one
// refused re-auth for them all, not one each.
it('concurrent calls whose second-round replays come back in turn share one refused re-auth', async () => {
  const backs = new Map<string, () => void>();
  const { step, start, a, reauths } = loadingPage('revoked', (path, n) =>
    (path === '/api/x2' || path === '/api/x3') && n === 2
      ? new Promise<void>((r) => backs.set(path, r))
      : undefined,
  );
  const [x1, x2, x3] = await start(['/api/x1', '/api/x2', '/api/x3']);
  await step(100);
  await step(100);
  expect(await x1).toBe('expired');
  expect(reauths()).toBe(1);
  backs.get('/api/x2')!();
  await step(1000);
  backs.get('/api/x3')!();
  await step(1000);
  expect({ x2: await x2, x3: await x3, reauths: reauths() }).toEqual({
    x2: 'expired',
    x3: 'expired',
    reauths: 1,
  });
  a.close();
});

// The caller aborts while the first replay is on its way back (this fetch, like an app's
// own, does not reject mid-flight): no re-auth runs for a call nobody waits for, and no last
// replay is sent.
it('a call aborted before its second round runs no re-auth and rejects with the abort', async () => {
  let release: (() => void) | undefined;
  const back = new Promise<void>((r) => (release = r));
  const { step, start, reauths, server, a } = loadingPage('absolute-timeout', (path, n) =>
    path === '/api/x' && n === 2 ? back : undefined,
  );
  const controller = new AbortController();
  const [x] = await start(['/api/x'], { signal: controller.signal });
  await step(100);
  await step(100);
  expect(server.calls.get('/api/x')).toBe(2); // the first replay is on its way back
  controller.abort();
  release!();
  await step(100);
  await step(100);
  expect({ outcome: await x, reauths: reauths(), x: server.calls.get('/api/x') }).toEqual({
    outcome: expect.stringMatching(/^AbortError/),
    reauths: 0,
    x: 2,
  });
  a.close();
});

// A POST body survives both replays.
it('a POST body reaches the server on the second replay', async () => {
  const { step, start, a, server, reauths } = loadingPage('absolute-timeout');
  const [x] = await start(['/api/x'], { method: 'POST', body: 'hello' });
  await step(100);
  await step(100);
  expect({ x: await x, sent: server.calls.get('/api/x'), reauths: reauths() }).toEqual({
    x: '200 hello',
    sent: 3,
    reauths: 1,
  });
  a.close();
});
