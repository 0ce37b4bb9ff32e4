import { PASSIVE_HEADER } from '@lifeline/server/contract';
import { describe, expect, it } from 'vitest';
import { SessionExpiredError } from '../errors.js';
import { createFakeServer, createSimulatedBrowser, flush } from '../testing/index.js';
import { signedInBrowser } from './signed-in.fixture.js';

const MIN = 60_000;

/** `answer`: answers a request in the server's place, when it returns a response. */
function setup(canReauth: boolean, answer?: (request: Request) => Response | undefined) {
  const browser = createSimulatedBrowser();
  const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: 10 * MIN, canReauth });
  server.signIn();
  const sent: Request[] = [];
  const spy: typeof fetch = async (input, init) => {
    sent.push(
      new Request(
        new URL(String(input instanceof Request ? input.url : input), 'http://app.test'),
        init ?? (input as Request),
      ),
    );
    return answer?.(sent.at(-1)!) ?? server.fetch(input, init);
  };
  const tab = browser.openTab({ fetch: spy });
  return { browser, server, tab, sent };
}

describe('session fetch wrapper', () => {
  it('learns slid deadlines from the Session-Deadline header of app responses', async () => {
    const { browser, tab } = setup(true);
    await flush();
    const before = tab.client.getSnapshot().idleExpiresAt ?? 0;
    browser.clock.advance(2 * MIN);
    await tab.client.fetch('/api/data');
    expect(tab.client.getSnapshot().idleExpiresAt).toBe(before + 2 * MIN);
    tab.close();
  });

  it('marks requests made while the tab is hidden as passive', async () => {
    const { tab, sent } = setup(true);
    tab.hide();
    await tab.client.fetch('/api/poll');
    expect(sent.at(-1)?.headers.get(PASSIVE_HEADER)).toBe('1');
    tab.show();
    await tab.client.fetch('/api/poll');
    expect(sent.at(-1)?.headers.get(PASSIVE_HEADER)).toBeNull();
    tab.close();
  });

  it('never re-authenticates for a 401 met by a request from a hidden tab', async () => {
    // With remember-me, a hidden tab's polling would otherwise sign an idle person back in
    // after every idle timeout; the person's own `reauthenticate()` (or a visible tab) can.
    const { server, tab } = setup(true);
    await flush();
    server.end('idle-timeout');
    tab.hide();
    const error = await tab.client.fetch('/api/poll').catch((e) => e);
    expect(error).toBeInstanceOf(SessionExpiredError);
    expect(error.reason).toBe('idle-timeout');
    expect(server.calls.get('/session/reauth')).toBeUndefined();
    expect(tab.client.getSnapshot().state).toBe('expired');
    tab.show();
    expect(await tab.client.fetch('/api/poll').then((r) => r.status)).toBe(200);
    expect(server.calls.get('/session/reauth')).toBe(1);
    tab.close();
  });

  it('emits expired before rejecting with SessionExpiredError when re-auth is impossible', async () => {
    const { server, tab } = setup(false);
    await flush();
    server.end('revoked');
    const order: string[] = [];
    tab.client.on('expired', (e) => order.push(`expired:${e.reason}`));
    const failed = tab.client
      .fetch('/api/save', { method: 'POST', body: 'draft' })
      .catch((error) => {
        order.push('rejected');
        return error;
      });
    const error = await failed;
    expect(error).toBeInstanceOf(SessionExpiredError);
    expect(error.reason).toBe('revoked');
    expect(order).toEqual(['expired:revoked', 'rejected']);
    expect(server.calls.get('/api/save')).toBe(1);
    tab.close();
  });

  it('after a failed re-auth, tries again only once a new session appears or 30 s have passed', async () => {
    const { browser, server, tab } = setup(false);
    await flush();
    server.end('revoked');
    const reauths = () => server.calls.get('/session/reauth') ?? 0;
    const rejects = async (path: string) =>
      expect(await tab.client.fetch(path).catch((e) => e)).toBeInstanceOf(SessionExpiredError);
    await rejects('/api/a');
    expect(reauths()).toBe(1);
    // Later calls, one by one or together, meet the same 401 and send no re-auth of their own.
    await rejects('/api/b');
    await Promise.all(['/api/c', '/api/d', '/api/e'].map(rejects));
    expect(reauths()).toBe(1);
    browser.clock.advance(30_000);
    await rejects('/api/f');
    expect(reauths()).toBe(2);
    // A sign-in (learned from any response) is news: its end is worth one re-auth at once.
    server.signIn();
    expect((await tab.client.fetch('/api/g')).status).toBe(200);
    browser.clock.advance(1000);
    server.end('revoked');
    await rejects('/api/h');
    expect(reauths()).toBe(3);
    // An explicit call always tries.
    expect(await tab.client.reauthenticate()).toBe(false);
    expect(reauths()).toBe(4);
    tab.close();
  });

  it('holds re-auths for 30 s when one succeeds but the app route still refuses the session (a cookie Path mistake)', async () => {
    const browser = createSimulatedBrowser();
    const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: 10 * MIN });
    server.signIn();
    // The app's API never sees the cookie: every call is a session 401, whatever /reauth did.
    const pathMistake: typeof fetch = (input, init) =>
      String(input instanceof Request ? input.url : input).includes('/api/')
        ? Promise.resolve(
            Response.json(
              {
                type: 'urn:lifeline:problem:session_required',
                title: 'x',
                status: 401,
                code: 'session_required',
              },
              { status: 401, headers: { 'Content-Type': 'application/problem+json' } },
            ),
          )
        : server.fetch(input, init);
    const tab = browser.openTab({ fetch: pathMistake });
    await flush();
    const reauths = () => server.calls.get('/session/reauth') ?? 0;
    const rejects = async (path: string) =>
      expect(await tab.client.fetch(path).catch((e) => e)).toBeInstanceOf(SessionExpiredError);
    await rejects('/api/a');
    expect(reauths()).toBe(1);
    // The app polls: no re-auth per call.
    for (const path of ['/api/b', '/api/c', '/api/d']) {
      browser.clock.advance(5000);
      await rejects(path);
    }
    expect(reauths()).toBe(1);
    browser.clock.advance(30_000);
    await rejects('/api/e');
    expect(reauths()).toBe(2);
    tab.close();
  });

  it('leaves requests to another origin alone: no passive header, and their 401 or deadline header says nothing of this session', async () => {
    const browser = createSimulatedBrowser();
    const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: 10 * MIN });
    server.signIn();
    const foreign: Request[] = [];
    // Another API (say another app's Lifeline) answering with its own session's news.
    const fetcher: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      if (new URL(request.url).origin === location.origin) return server.fetch(input, init);
      foreign.push(request);
      const body = JSON.stringify({ type: 'about:blank', status: 401, code: 'session_expired' });
      const headers = {
        'Content-Type': 'application/problem+json',
        'Session-Deadline': `idle=1, absolute=2, now=${browser.clock.now()}`,
      };
      return new Response(body, { status: 401, headers });
    };
    const tab = browser.openTab({ fetch: fetcher });
    await flush();
    const before = tab.client.getSnapshot();
    tab.hide();
    const res = await tab.client.fetch('https://api.other.test/feed');
    await flush();
    expect(res.status).toBe(401);
    expect(foreign).toHaveLength(1);
    expect(foreign[0]!.headers.get(PASSIVE_HEADER)).toBeNull();
    expect(server.calls.get('/session/reauth')).toBeUndefined();
    expect(tab.client.getSnapshot().state).toBe('active');
    expect(tab.client.getSnapshot().idleExpiresAt).toBe(before.idleExpiresAt);
    tab.close();
  });

  it('asks for the status when the page comes back from the back/forward cache, not at every load', async () => {
    const { tab, server } = setup(true);
    await flush();
    const checks = () => server.calls.get('/session/status') ?? 0;
    const first = checks();
    tab.window.dispatch('pageshow', { persisted: false });
    await flush();
    expect(checks()).toBe(first);
    tab.window.dispatch('pageshow', { persisted: true });
    await flush();
    expect(checks()).toBe(first + 1);
    tab.close();
  });

  /**
   * A write whose session ended while its handler ran (here at its idle deadline): the
   * server answers 401 with `handled: true`, as the handler's other effects (an order
   * placed) may have happened. The first request to `/api/order` meets it; later ones are
   * served.
   */
  async function orderAcrossEnding(method: string) {
    let refused = false;
    const { server, tab, sent } = setup(true, (request) => {
      if (refused || !request.url.endsWith('/api/order')) return undefined;
      refused = true;
      server.end('idle-timeout');
      const problem = {
        code: 'session_expired',
        reason: 'idle-timeout',
        status: 401,
        handled: true,
      };
      const headers = { 'content-type': 'application/problem+json' };
      return Response.json(problem, { status: 401, headers });
    });
    await flush();
    const result = await tab.client
      .fetch('/api/order', { method, body: '{"item":1}' })
      .catch((error: unknown) => error);
    const orders = sent.filter((r) => r.url.endsWith('/api/order')).length;
    tab.close();
    return { result, orders, reauths: server.calls.get('/session/reauth') ?? 0 };
  }

  it('never repeats a POST refused after its handler ran, nor re-authenticates for it', async () => {
    const { result, orders, reauths } = await orderAcrossEnding('POST');
    expect(result).toBeInstanceOf(SessionExpiredError);
    expect((result as SessionExpiredError).reason).toBe('idle-timeout');
    expect([orders, reauths]).toEqual([1, 0]);
  });

  it('re-authenticates and repeats an idempotent PUT refused after its handler ran', async () => {
    const { result, orders, reauths } = await orderAcrossEnding('PUT');
    expect((result as Response).status).toBe(200);
    expect([orders, reauths]).toEqual([2, 1]);
  });
});

describe('session fetch wrapper in a hidden tab', () => {
  it('repeats a request that crossed a sign-in in another tab, as a visible tab does, with no re-auth', async () => {
    // The answer to /api/cart takes 5 s to come back; the sign-in happens meanwhile.
    const {
      server,
      open,
      stepAsync: step,
    } = signedInBrowser({
      delays: (path) => ({ up: 0, down: path === '/api/cart' ? 5_000 : 0 }),
    });
    const [a, b] = [open(), open()];
    await step(1_000);
    server.end('revoked');
    a.hide();
    const saved = a.client.fetch('/api/cart', { method: 'POST', body: 'draft' });
    await step(0); // answered 401 session_revoked, still on its way back
    server.signIn();
    const refreshed = b.client.refresh(); // b learns of the new session, and tells a
    await step(0);
    expect(await refreshed).toBe(true);
    await step(5_000); // the 401 arrives; the repeat takes as long
    await step(5_000);
    expect((await saved).status).toBe(200);
    expect(server.calls.get('/api/cart')).toBe(2);
    expect(server.calls.get('/session/reauth')).toBeUndefined();
    expect(a.client.getSnapshot().state).toBe('active');
    a.close();
    b.close();
  });

  it("takes another tab's re-auth on its way, instead of ending the session everywhere", async () => {
    // The app's own silent sign-in (an identity provider's iframe) takes 2 s.
    const { browser, server, open } = signedInBrowser({ appSignInMs: 2_000 });
    const [a, b] = [open(), open()];
    await browser.clock.advanceAsync(0);
    const ended: string[] = [];
    a.client.on('expired', () => ended.push('a expired'));
    b.hide();
    server.end('missing');
    const save = a.client.fetch('/api/save', { method: 'POST', body: 'draft' });
    await browser.clock.advanceAsync(500);
    // b's poll meets the 401 while a's re-auth is on its way: it waits for it.
    const poll = b.client.fetch('/api/poll').then(
      (r) => r.status,
      (e) => e.name,
    );
    await browser.clock.advanceAsync(3_000);
    await flush();
    expect((await save).status).toBe(200);
    expect(await poll).toBe(200);
    expect(ended).toEqual([]);
    a.close();
    b.close();
  });

  it("lets a call that may re-authenticate, joining a hidden request's wait for the lock, try", async () => {
    const browser = createSimulatedBrowser();
    const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: 10 * MIN });
    server.signIn();
    const runs: string[] = [];
    const reauthIn = (tab: string) => async () => {
      runs.push(tab);
      await new Promise<void>((resolve) => browser.clock.timers.setTimeout(resolve, 2_000));
      server.signIn();
      return true;
    };
    const a = browser.openTab({ fetch: server.fetch, reauth: reauthIn('a') });
    const b = browser.openTab({ fetch: server.fetch, reauth: reauthIn('b') });
    await browser.clock.advanceAsync(0);
    a.hide();
    server.end('missing');
    void b.client.fetch('/api/save').catch(() => {}); // b's slow re-auth holds the lock
    await browser.clock.advanceAsync(500);
    const settle = (p: Promise<Response>) =>
      p.then(
        (r) => r.status,
        (e) => e.name,
      );
    const poll = settle(a.client.fetch('/api/poll')); // hidden: waits for b's re-auth
    await browser.clock.advanceAsync(100);
    a.show(); // the person comes back to a, which then needs a re-auth of its own
    const visible = settle(a.client.fetch('/api/me'));
    const clicked = a.client.reauthenticate(); // or clicks "Sign in again"
    await browser.clock.advanceAsync(100);
    b.close(); // b reloads mid re-auth: the lock is free, and no news came
    await browser.clock.advanceAsync(5_000);
    await flush();
    expect(await poll).toBe(200);
    expect({ visible: await visible, clicked: await clicked }).toEqual({
      visible: 200,
      clicked: true,
    });
    expect(runs).toEqual(['b', 'a']);
    a.close();
  });

  it('re-authenticates for a 401 that arrives after the person came back to the tab', async () => {
    const {
      server,
      open,
      stepAsync: step,
    } = signedInBrowser({
      delays: (path) => ({ up: 0, down: path === '/api/poll' ? 2_000 : 0 }),
    });
    const tab = open();
    await step(1_000);
    tab.hide();
    server.end('missing');
    const poll = tab.client.fetch('/api/poll').then(
      (r) => r.status,
      (e) => e.name,
    );
    await step(500);
    tab.show(); // while the poll's 401 is on its way back
    await step(5_000);
    expect(await poll).toBe(200);
    expect(tab.client.getSnapshot().state).toBe('active');
    tab.close();
  });
});
