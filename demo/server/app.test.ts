import { describe, expect, it } from 'vitest';
import { createDemoApp } from './app.js';
import { loadConfig } from './config.js';
import { demo, MIN, ORIGIN } from './test-client.js';

describe('demo: lifecycle', () => {
  it('never moves the idle deadline for /api/notifications, while /api/me does', async () => {
    const d = demo();
    await d.login();
    const { idleExpiresAt } = await d.status();
    d.advance(10 * MIN);
    expect((await d.send('GET', '/api/notifications')).status).toBe(200);
    expect((await d.status()).idleExpiresAt).toBe(idleExpiresAt);
    await d.send('GET', '/api/me');
    expect((await d.status()).idleExpiresAt).toBeGreaterThan(idleExpiresAt);
  });

  it('expires an idle session despite polling, with session_expired', async () => {
    const d = demo({ idleTimeoutMs: 5 * MIN });
    await d.login();
    for (let i = 0; i < 5; i++) {
      d.advance(MIN + 1);
      await d.send('GET', '/api/notifications');
    }
    const res = await d.send('GET', '/api/notifications');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'session_expired', reason: 'idle-timeout' });
  });

  it('signs back in silently with remember-me after the session expired', async () => {
    const d = demo();
    await d.login(true);
    d.advance(31 * MIN);
    expect((await d.send('GET', '/api/me')).status).toBe(401);
    const reauth = await d.send('POST', '/session/reauth', { headers: { 'Session-Request': '1' } });
    expect(reauth.status).toBe(200);
    const me = await d.send('GET', '/api/me');
    expect(await me.json()).toMatchObject({ userId: 'demo' });
    // The account's data must not sit in a shared or browser cache after the session ends.
    expect(me.headers.get('Cache-Control')).toBe('no-store');
  });

  it('ends the user’s sessions everywhere when a stolen remember-me cookie is replayed', async () => {
    const victim = demo();
    await victim.login(true);
    const stolen = victim.jar.get('lifeline_remember')!;
    victim.advance(31 * MIN);
    // The victim comes back first: the credential rotates.
    await victim.send('POST', '/session/reauth', { headers: { 'Session-Request': '1' } });
    expect((await victim.send('GET', '/api/me')).status).toBe(200);
    // The thief replays the old copy against the same server, once the replaced cookie's
    // grace window for parallel uses (10 s) is over.
    victim.advance(10_000);
    const replay = await victim.app.request(`${ORIGIN}/session/reauth`, {
      method: 'POST',
      headers: {
        'Session-Request': '1',
        'Sec-Fetch-Site': 'same-origin',
        Cookie: `lifeline_remember=${stolen}`,
      },
    });
    expect(replay.status).toBe(401);
    const me = await victim.send('GET', '/api/me');
    expect(await me.json()).toMatchObject({ code: 'session_revoked' });
  });

  it('logs out: the API refuses the session and remember-me no longer signs back in', async () => {
    const d = demo();
    await d.login(true);
    const res = await d.send('POST', '/session/logout', { headers: { 'Session-Request': '1' } });
    expect(await res.json()).toMatchObject({ state: 'none', reason: 'logged-out' });
    expect(d.jar.size).toBe(0);
    expect((await d.send('GET', '/api/me')).status).toBe(401);
    const reauth = await d.send('POST', '/session/reauth', { headers: { 'Session-Request': '1' } });
    expect(reauth.status).toBe(401);
  });

  it("shows a signed-in visitor their own account's lifecycle events, without tokens or ids", async () => {
    const d = demo();
    await d.login(true);
    d.advance(31 * MIN);
    await d.send('POST', '/session/reauth', { headers: { 'Session-Request': '1' } });
    const res = await d.send('GET', '/api/events');
    const text = await res.text();
    const { events } = JSON.parse(text);
    const kinds = events.map((e: { source: string; type: string }) => `${e.source}:${e.type}`);
    expect(kinds).toEqual(
      expect.arrayContaining(['remember:issued', 'remember:used', 'session:reauthenticated']),
    );
    expect(events.find((e: { type: string }) => e.type === 'expired')).toMatchObject({
      reason: 'idle-timeout',
    });
    for (const value of d.jar.values()) expect(text).not.toContain(value);
    const allowed = ['at', 'type', 'source', 'reason', 'detail'];
    for (const e of events) expect(allowed).toEqual(expect.arrayContaining(Object.keys(e)));
    // Signed out, the log is not for anyone to read.
    await d.send('POST', '/session/logout', { headers: { 'Session-Request': '1' } });
    expect((await d.send('GET', '/api/events')).status).toBe(401);
  });
});

describe('demo: page support', () => {
  it('tells the page its timeouts and warning lead, from the environment', async () => {
    const config = loadConfig({
      IDLE_TIMEOUT_S: '60',
      ABSOLUTE_TIMEOUT_S: '600',
      WARN_BEFORE_S: '20',
    });
    const app = createDemoApp(config);
    expect(await (await app.request('/api/config')).json()).toEqual({
      idleTimeoutS: 60,
      absoluteTimeoutS: 600,
      warnBeforeS: 20,
    });
  });

  it('gives the one-tag page (/plain) the configured warning lead', async () => {
    const config = loadConfig({ IDLE_TIMEOUT_S: '60', WARN_BEFORE_S: '20' });
    const app = createDemoApp(config, { clientScript: 'void 0;' });
    const html = await (await app.request('/plain')).text();
    expect(html).toContain('src="/session/client.js"');
    expect(html).toContain('data-warn-before="20"');
  });
});
