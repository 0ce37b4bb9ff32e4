import { describe, expect, it } from 'vitest';
import { credentialRecord, manualClock, sessionRecord } from '../../testing/index.js';
import { type MemoryEviction, memoryStore } from './index.js';

describe('memoryStore bound', () => {
  it('refuses a clock that does not read whole epoch milliseconds, naming `now`', () => {
    expect(() => memoryStore({ now: () => Number.NaN })).toThrow(/memoryStore: `now` must be/);
    expect(() => memoryStore({ now: () => 1.5 })).toThrow(/`now`/);
  });

  it('evicts the session with the earliest deadline when full and reports it', async () => {
    const clock = manualClock();
    const evicted: MemoryEviction[] = [];
    const store = memoryStore({ maxSessions: 3, now: clock.now, onEvict: (e) => evicted.push(e) });
    const t = clock.now();
    await store.create('late', sessionRecord(), t + 3000);
    await store.create('soonest', sessionRecord({ userId: 'ann' }), t + 1000);
    await store.create('middle', sessionRecord(), t + 2000);
    await store.create('newcomer', sessionRecord(), t + 5000);
    expect(evicted).toEqual([
      { kind: 'session', id: 'soonest', userId: 'ann', expiresAt: t + 1000 },
    ]);
    expect(await store.get('soonest')).toBeNull();
    expect(await store.listByUser('ann')).toEqual([]);
    for (const sid of ['late', 'middle', 'newcomer']) expect(await store.get(sid)).not.toBeNull();
    expect(store.stats()).toMatchObject({ sessions: 3, evicted: 1 });
  });

  // A tombstone keeps the deadline of the session it was: evicting by deadline, one account
  // signing in and out in a loop filled the store with tombstones and evicted every live
  // session (500 of 500 users signed out in a review).
  it('evicts ended sessions (tombstones) before any live session, oldest first', async () => {
    const clock = manualClock();
    const evicted: string[] = [];
    const store = memoryStore({
      maxSessions: 3,
      now: clock.now,
      onEvict: (e) => evicted.push(e.id),
    });
    const t = clock.now();
    await store.create('alice', sessionRecord({ userId: 'alice' }), t + 1000);
    await store.create('gone-1', sessionRecord({ userId: 'mallory' }), t + 5000);
    await store.create('gone-2', sessionRecord({ userId: 'mallory' }), t + 6000);
    const ended = { reason: 'logged-out' as const, at: t };
    await store.end('gone-2', ended, t + 6000);
    await store.end('gone-1', ended, t + 5000);
    await store.create('bob', sessionRecord({ userId: 'bob' }), t + 7000);
    await store.create('carol', sessionRecord({ userId: 'carol' }), t + 8000);
    expect(evicted).toEqual(['gone-2', 'gone-1']);
    for (const sid of ['alice', 'bob', 'carol']) expect(await store.get(sid)).not.toBeNull();
    await store.create('dave', sessionRecord({ userId: 'dave' }), t + 9000);
    expect(evicted).toEqual(['gone-2', 'gone-1', 'alice']);
  });

  it('drops an expired record to make room before evicting a live one', async () => {
    const clock = manualClock();
    const evicted: MemoryEviction[] = [];
    const store = memoryStore({ maxSessions: 2, now: clock.now, onEvict: (e) => evicted.push(e) });
    await store.create('short', sessionRecord(), clock.now() + 10);
    await store.create('long', sessionRecord(), clock.now() + 60_000);
    clock.advance(10);
    await store.create('new', sessionRecord(), clock.now() + 60_000);
    expect(evicted).toEqual([]);
    expect(await store.get('long')).not.toBeNull();
    expect(store.stats()).toMatchObject({ sessions: 2, expired: 1, evicted: 0 });
  });

  it('evicts by the current deadline, not the one a record was created with', async () => {
    const clock = manualClock();
    const evicted: string[] = [];
    const store = memoryStore({
      maxSessions: 2,
      now: clock.now,
      onEvict: (e) => evicted.push(e.id),
    });
    await store.create('touched', sessionRecord(), clock.now() + 1000);
    await store.create('idle', sessionRecord(), clock.now() + 2000);
    await store.update('touched', { meta: { lastActiveAt: clock.now() } }, clock.now() + 9000);
    await store.create('new', sessionRecord(), clock.now() + 9000);
    expect(evicted).toEqual(['idle']);
    expect(await store.get('touched')).not.toBeNull();
  });

  it('bounds credentials on their own, evicting the one expiring first', async () => {
    const clock = manualClock();
    const evicted: MemoryEviction[] = [];
    const store = memoryStore({
      maxCredentials: 1,
      now: clock.now,
      onEvict: (e) => evicted.push(e),
    });
    const t = clock.now();
    await store.createCredential('old', credentialRecord('ann', { expiresAt: t + 1000 }));
    await store.createCredential('new', credentialRecord('bob', { expiresAt: t + 2000 }));
    expect(evicted).toEqual([
      { kind: 'credential', id: 'old', userId: 'ann', expiresAt: t + 1000 },
    ]);
    expect(await store.getCredential('old')).toBeNull();
    expect(store.stats()).toMatchObject({ credentials: 1, sessions: 0 });
  });

  it('refuses a deadline that is not a number instead of corrupting its expiry order', async () => {
    const store = memoryStore();
    await expect(store.create('s', sessionRecord(), Number.NaN)).rejects.toThrow(/expiresAt/);
    await store.create('t', sessionRecord(), Date.now() + 60_000);
    const update = store.update('t', { set: { half: 'written' } }, Number.NaN);
    await expect(update).rejects.toThrow(/expiresAt/);
    expect((await store.get('t'))?.data).toEqual({});
    expect(await store.get('s')).toBeNull();
  });

  it('rejects a bound that is not a positive integer, naming the option', () => {
    expect(() => memoryStore({ maxSessions: 0 })).toThrow(/maxSessions/);
    expect(() => memoryStore({ maxCredentials: 1.5 })).toThrow(/maxCredentials/);
  });

  it('refuses a misspelt option and an onEvict that cannot be called, naming them', () => {
    // Ignored, `maxSession` would leave the default bound of 100,000 in force.
    expect(() => memoryStore({ maxSession: 10 } as never)).toThrow(
      'memoryStore: `maxSession` is not an option',
    );
    // Accepted, it would throw at the first eviction, inside somebody's request.
    expect(() => memoryStore({ onEvict: 'log' as never })).toThrow('`onEvict` must be a function');
  });
});
