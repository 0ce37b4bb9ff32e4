import { describe, expect, it } from 'vitest';
import { createFakeServer, createSimulatedBrowser, flush } from './index.js';

const post = (server: ReturnType<typeof createFakeServer>, path: string, headers = {}) =>
  server.fetch(`http://app.test${path}`, {
    method: 'POST',
    headers: { 'Session-Request': '1', ...headers },
  });

describe('createFakeServer answers as the real server does', () => {
  it('names idle-timeout for a session idle past its absolute deadline too (a laptop closed overnight)', async () => {
    let now = 1_000_000;
    const server = createFakeServer({
      now: () => now,
      idleTimeoutMs: 10 * 60_000,
      absoluteTimeoutMs: 60 * 60_000,
    });
    server.signIn();
    now += 60 * 60_000;
    const res = await server.fetch('http://app.test/session/status');
    expect(await res.json()).toMatchObject({ state: 'none', reason: 'idle-timeout' });
  });

  it('forgets the remember-me credential on logout: no silent re-auth afterwards', async () => {
    const browser = createSimulatedBrowser();
    const server = createFakeServer({ now: browser.clock.now });
    server.signIn();
    const [tab, other] = [
      browser.openTab({ fetch: server.fetch }),
      browser.openTab({ fetch: server.fetch }),
    ];
    await flush();
    expect(tab.client.getSnapshot().canReauth).toBe(true);
    await tab.client.logout();
    await flush();
    // Every tab stops offering the silent re-auth the logout took away.
    for (const t of [tab, other]) {
      expect(t.client.getSnapshot()).toMatchObject({ state: 'signed-out', canReauth: false });
    }
    expect(await tab.client.reauthenticate()).toBe(false);
    const res = await post(server, '/session/reauth');
    expect([res.status, (await res.json()).code]).toEqual([401, 'reauth_failed']);
    server.signIn(); // signing in again leaves a new credential
    expect((await post(server, '/session/reauth')).status).toBe(200);
  });

  it('refuses a session POST without the CSRF header or a JSON body, and another method', async () => {
    const server = createFakeServer({ now: () => 1_700_000_000_000 });
    server.signIn();
    const bare = await server.fetch('http://app.test/session/extend', { method: 'POST' });
    expect([bare.status, (await bare.json()).code]).toEqual([403, 'csrf_rejected']);
    const json = await post(server, '/session/extend', {
      'Session-Request': '0',
      'Content-Type': 'application/json',
    });
    expect(json.status).toBe(200);
    const get = await server.fetch('http://app.test/session/extend');
    expect([get.status, (await get.json()).code]).toEqual([405, 'invalid_request']);
    expect((await server.fetch('http://app.test/session/status', { method: 'POST' })).status).toBe(
      405,
    );
  });

  it.each([
    ['revoked', 'session_revoked'],
    ['logged-out', 'session_revoked'],
    ['idle-timeout', 'session_expired'],
    ['missing', 'session_required'],
  ] as const)('answers a session ended as %s with 401 %s', async (reason, code) => {
    const server = createFakeServer({ now: () => 1_700_000_000_000 });
    server.signIn();
    server.end(reason);
    const res = await server.fetch('http://app.test/api/me');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code, reason });
  });
});
