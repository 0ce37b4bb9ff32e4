import { describe, expect, it } from 'vitest';
import { sessionCookie, testApp, withCookie } from './app.fixture.js';

describe('session() basics', () => {
  it('creates no record and sets no cookie for a request that never writes', async () => {
    const { app, counting } = testApp();
    const res = await app.request('/read');
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(counting.writes()).toBe(0);
    expect(res.headers.get('Session-Deadline')).toBeNull();
  });

  it('creates a session lazily on the first write and reads it back from the cookie', async () => {
    const { app } = testApp();
    const first = await app.request('/write/cart/apple', { method: 'POST' });
    const token = sessionCookie(first);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const read = await app.request('/read', withCookie(token!));
    expect(await read.json()).toMatchObject({ state: 'active', reason: null, cart: 'apple' });
    expect(read.headers.getSetCookie()).toEqual([]);
    expect(read.headers.get('Session-Deadline')).toMatch(/^idle=\d+, absolute=\d+, now=\d+$/);
  });
});
