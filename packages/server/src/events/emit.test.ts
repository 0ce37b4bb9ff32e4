import { describe, expect, it, vi } from 'vitest';
import { sessionCookie, testApp, withCookie } from '../session/app.fixture.js';
import type { SessionEvent } from './types.js';

describe('audit events', () => {
  it('carry hashed ids only, never a cookie token', async () => {
    const t = testApp({ rotationInterval: 60_000, rotationGrace: 1_000 });
    const login = await t.app.request('/login/ada', { method: 'POST' });
    const token = sessionCookie(login)!;
    t.clock.advance(60_000);
    const next = sessionCookie(await t.app.request('/read', withCookie(token)))!;
    t.clock.advance(2_000);
    await t.app.request('/read', withCookie(token));
    await t.app.request('/logout', withCookie(next, { method: 'POST' }));
    expect(t.events.map((e) => e.type)).toEqual(['created', 'rotated', 'rejected', 'destroyed']);
    const log = JSON.stringify(t.events);
    expect(log).not.toContain(token);
    expect(log).not.toContain(next);
  });

  it('never let a failing hook break the request', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    for (const onEvent of [
      (_: SessionEvent) => {
        throw new Error('sync');
      },
      async (_: SessionEvent) => {
        throw new Error('async');
      },
    ]) {
      const t = testApp({ onEvent });
      const res = await t.app.request('/login/ada', { method: 'POST' });
      expect(res.status).toBe(200);
      expect(sessionCookie(res)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    }
    await new Promise((r) => setTimeout(r, 0));
    expect(error).toHaveBeenCalledTimes(2);
    error.mockRestore();
  });
});
