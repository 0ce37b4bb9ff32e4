import { describe, expect, it } from 'vitest';
import { parseDeadlineHeader } from '../contract/protocol.js';
import { memoryStore } from '../store/memory/index.js';
import { manualClock } from '../testing/clock.js';
import { sessionCookie, testApp, withCookie } from './app.fixture.js';

const MIN = 60_000;

async function started(options: Parameters<typeof testApp>[0] = {}) {
  const t = testApp(options);
  const res = await t.app.request('/login/ada', { method: 'POST' });
  return { ...t, token: sessionCookie(res)! };
}

describe('idle and absolute timeouts', () => {
  it('ends a session idle for longer than the idle timeout, with reason idle-timeout', async () => {
    const { app, clock, token, events } = await started({ rotationInterval: 8 * 60 * MIN });
    clock.advance(30 * MIN - 1);
    expect(await (await app.request('/read', withCookie(token))).json()).toMatchObject({
      state: 'active',
    });
    clock.advance(30 * MIN);
    const res = await app.request('/read', withCookie(token));
    expect(await res.json()).toMatchObject({ state: 'none', reason: 'idle-timeout' });
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'expired', reason: 'idle-timeout' }),
    );
    // The tombstone keeps answering with the exact reason.
    clock.advance(MIN);
    expect(await (await app.request('/read', withCookie(token))).json()).toMatchObject({
      reason: 'idle-timeout',
    });
  });

  it('ends a session at created + absolute even with a request every idle/2', async () => {
    const started_ = await started({ rotationInterval: 8 * 60 * MIN });
    const { app, clock, events } = started_;
    let token = started_.token;
    let last: unknown;
    for (let elapsed = 0; elapsed < 8 * 60 * MIN; elapsed += 15 * MIN) {
      clock.advance(15 * MIN);
      const res = await app.request('/read', withCookie(token));
      token = sessionCookie(res) ?? token;
      last = await res.json();
    }
    expect(last).toMatchObject({ state: 'none', reason: 'absolute-timeout' });
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'expired', reason: 'absolute-timeout' }),
    );
  });

  it('keeps the absolute deadline across a privilege change, which is no new sign-in', async () => {
    const { app, clock } = testApp({ rotationInterval: 8 * 60 * MIN });
    app.post('/elevate', async (c) => {
      await c.var.session.regenerate({ cause: 'privilege-change' });
      return c.json(c.var.session.deadlines);
    });
    let token = sessionCookie(await app.request('/login/ada', { method: 'POST' }))!;
    const loginAbsolute = clock.now() + 8 * 60 * MIN;
    // A request every idle/2 for 8 hours, with a privilege change half way.
    for (let elapsed = 15 * MIN; elapsed < 8 * 60 * MIN; elapsed += 15 * MIN) {
      clock.advance(15 * MIN);
      if (elapsed !== 4 * 60 * MIN) {
        expect((await app.request('/read', withCookie(token))).status).toBe(200);
        continue;
      }
      const elevated = await app.request('/elevate', withCookie(token, { method: 'POST' }));
      token = sessionCookie(elevated)!;
      expect(await elevated.json()).toMatchObject({ absoluteExpiresAt: loginAbsolute });
    }
    clock.advance(15 * MIN);
    expect(await (await app.request('/read', withCookie(token))).json()).toMatchObject({
      state: 'none',
      reason: 'absolute-timeout',
    });
  });

  it('moves the idle deadline to now + idle on extend() and stores it', async () => {
    const { app, clock, token } = await started({ rotationInterval: 8 * 60 * MIN });
    clock.advance(10 * MIN);
    const res = await app.request('/extend', withCookie(token, { method: 'POST' }));
    const body = (await res.json()) as { idleExpiresAt: number; absoluteExpiresAt: number };
    expect(body.idleExpiresAt).toBe(clock.now() + 30 * MIN);
    expect(parseDeadlineHeader(res.headers.get('Session-Deadline'))?.idle).toBe(body.idleExpiresAt);
    // Stored, not just reported: the next passive read sees the same deadline.
    const read = await app.request(
      '/read',
      withCookie(token, { headers: { 'Session-Passive': '1' } }),
    );
    expect(parseDeadlineHeader(read.headers.get('Session-Deadline'))?.idle).toBe(
      body.idleExpiresAt,
    );
  });

  it('caps extend() at the absolute deadline', async () => {
    const started_ = await started({ rotationInterval: 8 * 60 * MIN });
    const { app, clock } = started_;
    let token = started_.token;
    let body = { idleExpiresAt: 0, absoluteExpiresAt: 0 };
    for (let i = 0; i < 23; i++) {
      clock.advance(20 * MIN);
      const res = await app.request('/extend', withCookie(token, { method: 'POST' }));
      token = sessionCookie(res) ?? token;
      body = await res.json();
    }
    expect(body.idleExpiresAt).toBe(body.absoluteExpiresAt);
  });

  it('gives the cookie a Max-Age of the absolute deadline plus one idle period, as long as the store keeps the record', async () => {
    const t = testApp();
    const res = await t.app.request('/login/ada', { method: 'POST' });
    // 8 h, then 30 min in which a late request still learns it was the absolute timeout.
    expect(res.headers.getSetCookie()[0]).toContain(`Max-Age=${8 * 3600 + 30 * 60};`);
  });
});

// Through session() a record's store deadline is its retention, which a touch does not
// move: a full memory store evicted by it, so the oldest session went first, in use or
// not, while one that had idled out kept its room for hours.
describe('a full memory store', () => {
  it('evicts a session that idled out, not an older one still in use', async () => {
    const clock = manualClock();
    const evicted: Array<string | null> = [];
    const store = memoryStore({
      maxSessions: 2,
      now: clock.now,
      onEvict: (e) => evicted.push(e.userId),
    });
    const { app } = testApp({ store, now: clock.now, rotationInterval: 8 * 60 * MIN });
    const login = async (user: string) =>
      sessionCookie(await app.request(`/login/${user}`, { method: 'POST' }))!;
    const stateOf = async (token: string) =>
      ((await (await app.request('/read', withCookie(token))).json()) as { state: string }).state;
    const ann = await login('ann');
    clock.advance(MIN);
    const bob = await login('bob');
    clock.advance(20 * MIN);
    expect(await stateOf(ann)).toBe('active'); // ann stays in use; bob does not
    clock.advance(15 * MIN);
    await login('carol');
    expect(await stateOf(ann)).toBe('active');
    expect(await stateOf(bob)).toBe('none');
    // Bob was past his idle deadline: dropping him signed nobody out early.
    expect(evicted).toEqual([]);
    expect(store.stats()).toMatchObject({ sessions: 2, expired: 1, evicted: 0 });
  });
});
