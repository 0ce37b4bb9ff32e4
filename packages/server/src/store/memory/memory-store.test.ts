import { describe, expect, it } from 'vitest';
import { credentialRecord, sessionRecord } from '../../testing/index.js';
import { MAX_EPOCH_MS } from '../expires-at.js';
import { boundedStore } from './bounded.fixture.js';
import { memoryStore } from './index.js';

describe('memoryStore bound', () => {
  it('refuses a clock that does not read whole epoch milliseconds, naming `now`', () => {
    expect(() => memoryStore({ now: () => Number.NaN })).toThrow(/memoryStore: `now` must be/);
    expect(() => memoryStore({ now: () => 1.5 })).toThrow(/`now`/);
    expect(() => memoryStore({ now: () => Date.now() * 1000 })).toThrow(/`now`/);
    expect(() => memoryStore({ now: () => 253_402_300_799_999 })).not.toThrow();
  });

  it('evicts the session with the earliest deadline when full and reports it', async () => {
    const { store, evictions, t } = boundedStore({ maxSessions: 3 });
    await store.create('late', sessionRecord(), t + 3000);
    await store.create('soonest', sessionRecord({ userId: 'ann' }), t + 1000);
    await store.create('middle', sessionRecord(), t + 2000);
    await store.create('newcomer', sessionRecord(), t + 5000);
    expect(evictions).toEqual([
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
    const { store, evicted, t } = boundedStore({ maxSessions: 4 });
    await store.create('alice', sessionRecord({ userId: 'alice' }), t + 1000);
    await store.create('gone-1', sessionRecord({ userId: 'mallory' }), t + 5000);
    await store.create('gone-2', sessionRecord({ userId: 'mallory' }), t + 6000);
    const ended = { reason: 'logged-out' as const, at: t };
    await store.end('gone-2', ended, t + 6000);
    await store.end('gone-1', ended, t + 5000);
    await store.create('bob', sessionRecord({ userId: 'bob' }), t + 7000);
    await store.create('bob-2', sessionRecord({ userId: 'bob' }), t + 7000);
    // A tombstone's drop signed nobody out early: counted as expired, not reported.
    expect(evicted()).toEqual([]);
    expect(store.stats()).toMatchObject({ expired: 1, evicted: 0 });
    expect(await store.get('gone-2')).toBeNull(); // ended first, dropped first
    expect(await store.get('gone-1')).not.toBeNull();
    await store.create('carol', sessionRecord({ userId: 'carol' }), t + 8000);
    expect(await store.get('gone-1')).toBeNull();
    for (const sid of ['alice', 'bob', 'bob-2', 'carol']) {
      expect(await store.get(sid)).not.toBeNull();
    }
    await store.create('dave', sessionRecord({ userId: 'dave' }), t + 9000);
    expect(evicted()).toEqual(['alice']);
  });

  it('drops an expired record to make room before evicting a live one', async () => {
    const { clock, store, evicted } = boundedStore({ maxSessions: 2 });
    await store.create('short', sessionRecord(), clock.now() + 10);
    await store.create('long', sessionRecord(), clock.now() + 60_000);
    clock.advance(10);
    await store.create('new', sessionRecord(), clock.now() + 60_000);
    expect(evicted()).toEqual([]);
    expect(await store.get('long')).not.toBeNull();
    expect(store.stats()).toMatchObject({ sessions: 2, expired: 1, evicted: 0 });
  });

  it('evicts by the current deadline, not the one a record was created with', async () => {
    const { clock, store, evicted } = boundedStore({ maxSessions: 2 });
    await store.create('touched', sessionRecord(), clock.now() + 1000);
    await store.create('idle', sessionRecord(), clock.now() + 2000);
    await store.update('touched', { meta: { lastActiveAt: clock.now() } }, clock.now() + 9000);
    await store.create('new', sessionRecord(), clock.now() + 9000);
    expect(evicted()).toEqual(['idle']);
    expect(await store.get('touched')).not.toBeNull();
  });

  // Through session() a record's deadline is its retention (absolute + one idle timeout),
  // which a touch does not move: evicting by it, a session that idled out held its room
  // for hours while an older one in use was evicted, signing an active user out.
  describe('sessions: by the deadline they stop being usable', () => {
    const minute = 60_000;
    const setup = () => {
      const { clock, store, evicted, t } = boundedStore({ maxSessions: 2 });
      const record = (idleIn: number) =>
        sessionRecord({
          lastActiveAt: t,
          idleExpiresAt: t + idleIn,
          absoluteExpiresAt: t + 480 * minute,
        });
      // The same retention for all: only their idle deadlines tell them apart.
      const retention = t + 510 * minute;
      return { clock, evicted, store, t, record, retention };
    };

    it('evicts a session that idled out before an older one still in use', async () => {
      const { clock, evicted, store, record, retention } = setup();
      await store.create('older-in-use', record(30 * minute), retention);
      await store.create('idled-out', record(31 * minute), retention);
      clock.advance(20 * minute);
      const { tokenHash } = (await store.get('older-in-use'))!;
      await store.getAndTouch?.('older-in-use', {
        tokenHash,
        now: clock.now(),
        dueAtOrBefore: clock.now(),
        idleExpiresAt: clock.now() + 30 * minute,
      });
      clock.advance(15 * minute); // 'idled-out' passed its idle deadline at t + 31 min
      await store.create('newcomer', record(60 * minute), retention);
      expect(await store.get('idled-out')).toBeNull();
      expect(await store.get('older-in-use')).not.toBeNull();
      // Nobody was signed out early: not reported as an eviction.
      expect(evicted()).toEqual([]);
      expect(store.stats()).toMatchObject({ expired: 1, evicted: 0 });
    });

    it('among usable sessions, evicts the one closest to its idle deadline', async () => {
      const { evicted, store, record, retention } = setup();
      await store.create('active', record(30 * minute), retention);
      await store.create('quiet', record(10 * minute), retention);
      await store.update('active', { meta: { idleExpiresAt: MAX_EPOCH_MS } }, retention);
      await store.create('newcomer', record(30 * minute), retention);
      expect(evicted()).toEqual(['quiet']);
    });

    it('follows a deadline an update moves earlier', async () => {
      const { evicted, store, t, record, retention } = setup();
      await store.create('first', record(10 * minute), retention);
      await store.create('cut-short', record(30 * minute), retention);
      await store.update('cut-short', { meta: { absoluteExpiresAt: t + 5 * minute } }, retention);
      await store.create('newcomer', record(30 * minute), retention);
      expect(evicted()).toEqual(['cut-short']);
    });
  });

  it('bounds credentials on their own, evicting the one expiring first', async () => {
    const { store, evictions, t } = boundedStore({ maxCredentials: 1 });
    await store.createCredential('old', credentialRecord('ann', { expiresAt: t + 1000 }));
    await store.createCredential('new', credentialRecord('bob', { expiresAt: t + 2000 }));
    expect(evictions).toEqual([
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
