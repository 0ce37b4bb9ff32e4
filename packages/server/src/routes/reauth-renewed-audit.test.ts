import { describe, expect, it } from 'vitest';
import { Browser, routesTestApp } from './test-app.fixture.js';

const MIN = 60_000;

describe('POST /reauth answered with the kept session', () => {
  it('a credential use that answers 200 reaches the session audit hook as `reauthenticated` (SECURITY 38/42, docs/security.md row 38)', async () => {
    const remembered: string[] = [];
    const t = routesTestApp({ remember: { onEvent: (e) => void remembered.push(e.type) } });
    const browser = new Browser(t.app);
    expect((await browser.post('/login?remember=1')).status).toBe(200);
    t.clock.advance(31 * MIN);
    expect((await browser.post('/session/reauth')).status).toBe(200); // tab A: session S1
    t.events.length = 0;
    remembered.length = 0;
    t.clock.advance(50);
    const res = await browser.post('/session/reauth'); // tab B, with S1's cookie
    expect(res.status).toBe(200);
    // The credential was used and rotated (the remember hook says `used`) ...
    expect(remembered).toEqual(['used']);
    expect(res.headers.getSetCookie().some((l) => l.startsWith('lifeline_remember='))).toBe(true);
    // ... but the session hook hears nothing of a re-auth answered 200.
    // Observed: []. Expected (docs/security.md row 38: "emits `reauthenticated`"): one event.
    expect(t.events.map((e) => e.type)).toContain('reauthenticated');
  });

  it('the kept answer carries the claims the strategy just proved, as a new session would (ReauthProof.user: "Public claims for /status")', async () => {
    let role = 'admin';
    const t = routesTestApp({ remember: { findUser: () => ({ name: 'User u1', role }) } });
    const browser = new Browser(t.app);
    expect((await browser.post('/login?remember=1')).status).toBe(200);
    t.clock.advance(31 * MIN);
    expect((await browser.post('/session/reauth')).status).toBe(200); // S1, role admin
    role = 'viewer'; // an admin demotes u1
    t.clock.advance(50);
    const res = await browser.post('/session/reauth');
    expect(res.status).toBe(200);
    const body = await res.json();
    // Observed: { role: 'admin' } (S1's claims); a new session would hold 'viewer'.
    expect(body.user).toEqual({ name: 'User u1', role: 'viewer' });
  });
});
