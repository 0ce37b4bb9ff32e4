import { describe, expect, it, vi } from 'vitest';
import { manualClock, sessionRecord } from '../../testing/index.js';
import type { SessionRecord } from '../types.js';
import { boundedStore } from './bounded.fixture.js';
import { ExpiryHeap } from './expiry-heap.js';
import { memoryStore } from './index.js';

const MIN = 60_000;

/** Records every ExpiryHeap a store makes, so the test can read their sizes. */
function trackHeaps() {
  const heaps = new Set<ExpiryHeap<unknown>>();
  const push = ExpiryHeap.prototype.push;
  const spy = vi.spyOn(ExpiryHeap.prototype, 'push').mockImplementation(function (
    this: ExpiryHeap<unknown>,
    entry,
  ) {
    heaps.add(this);
    return push.call(this, entry);
  });
  return { sizes: () => [...heaps].map((h) => h.size), restore: () => spy.mockRestore() };
}

describe('memoryStore eviction by the deadline a session stops being usable', () => {
  // Every touch moves a session's rank later without a new entry; the first eviction
  // afterwards re-queued every touched session before it found an exact one (100,000
  // entries, 82 ms, in one request).
  it('one eviction in a full store of active sessions examines O(1) entries, not O(n)', async () => {
    const n = 5_000;
    const clock = manualClock();
    const store = memoryStore({ maxSessions: n, now: clock.now });
    const t = clock.now();
    const hashes: string[] = [];
    for (let i = 0; i < n; i++) {
      const rec = sessionRecord({
        createdAt: t,
        lastActiveAt: t,
        idleExpiresAt: t + 30 * MIN,
        absoluteExpiresAt: t + 480 * MIN,
      });
      hashes.push(rec.tokenHash);
      await store.create(`s${i}`, rec, t + 510 * MIN);
    }
    clock.advance(5 * MIN); // every user makes a request: the throttled touch is due
    for (let i = 0; i < n; i++) {
      const now = clock.now() + i; // spread over time, least recent first
      await store.getAndTouch!(`s${i}`, {
        tokenHash: hashes[i]!,
        dueAtOrBefore: now - 3 * MIN,
        now,
        idleExpiresAt: now + 30 * MIN,
      });
    }
    clock.advance(n);
    const before = store.stats().examined;
    await store.create('newcomer', sessionRecord(), clock.now() + 510 * MIN);
    const examined = store.stats().examined - before;
    expect(await store.get('s0')).toBeNull(); // the least recently active went, as intended
    expect(examined).toBeLessThan(ONE_REQUEST_BUDGET);
  });

  // A rank that moves earlier and back (an update's expiresAt) leaves, after each eviction
  // that surfaces the earlier entry, one more entry that still matches `rankAt`:
  // compaction keeps them all.
  it('keeps the eviction heap bounded under a loop of updates and creates', async () => {
    const heaps = trackHeaps();
    try {
      const max = 10;
      const clock = manualClock();
      const store = memoryStore({ maxSessions: max, now: clock.now });
      const t = clock.now();
      const retention = t + 510 * MIN;
      const rec = (idle: number) =>
        sessionRecord({ idleExpiresAt: t + idle, absoluteExpiresAt: t + 480 * MIN });
      await store.create('x', rec(480 * MIN), retention);
      for (let i = 0; i < max - 1; i++) await store.create(`o${i}`, rec(30 * MIN), retention);
      for (let i = 0; i < 2_000; i++) {
        await store.update('x', {}, t + 10 * MIN); // kept a shorter while...
        await store.update('x', {}, retention); // ...then as long as before
        await store.create(`n${i}`, rec(30 * MIN), retention); // full: evicts one `o`/`n`
      }
      expect(store.stats().sessions).toBe(max);
      expect(await store.get('x')).not.toBeNull();
      // Each heap may hold at most 2 * size + 64 entries (compactIfBloated's bound).
      expect(Math.max(...heaps.sizes())).toBeLessThanOrEqual(2 * max + 64);
    } finally {
      heaps.restore();
    }
  });

  // Math.min(null, x) is 0: a hand-made record without an idle deadline went first. Such a
  // record is now refused at the write (as the Redis store refuses it), so it never ranks.
  it('refuses a record whose idle deadline is no number, evicting nothing for it', async () => {
    const { store, evicted, t } = boundedStore({ maxSessions: 2 });
    const bad = sessionRecord({ absoluteExpiresAt: t + 480 * MIN }) as unknown as Record<
      string,
      unknown
    >;
    bad.idleExpiresAt = null;
    await expect(
      store.create('hand-made', bad as unknown as SessionRecord, t + 510 * MIN),
    ).rejects.toThrow(/idleExpiresAt/);
    await store.create(
      'idles-soon',
      sessionRecord({ idleExpiresAt: t + 5 * MIN, absoluteExpiresAt: t + 480 * MIN }),
      t + 510 * MIN,
    );
    await store.create('newcomer', sessionRecord(), t + 510 * MIN);
    expect(evicted()).toEqual([]);
    expect(await store.get('hand-made')).toBeNull();
  });

  // docs/stores.md: "an evicted user is signed out early". Dropping a session that idled
  // out signs nobody out early: it is not reported.
  it('onEvict reports only users signed out early (as docs/stores.md says)', async () => {
    const { clock, store, evicted, t } = boundedStore({ maxSessions: 1 });
    await store.create(
      'idled-out',
      sessionRecord({
        userId: 'ann',
        idleExpiresAt: t + 30 * MIN,
        absoluteExpiresAt: t + 480 * MIN,
      }),
      t + 510 * MIN,
    );
    clock.advance(31 * MIN); // ann's session is over; only its reason is kept
    await store.create('newcomer', sessionRecord(), clock.now() + 510 * MIN);
    expect(evicted()).toEqual([]);
  });

  // A lazy eviction order left an entry behind for each tombstone evicted: the next
  // eviction popped them all (2,501 entries at 5,000 sessions).
  it('one eviction after tombstones were evicted examines O(1) entries, not O(n)', async () => {
    const n = 5_000;
    const clock = manualClock();
    const store = memoryStore({ maxSessions: n, now: clock.now });
    const t = clock.now();
    const rec = () =>
      sessionRecord({ idleExpiresAt: clock.now() + 30 * MIN, absoluteExpiresAt: t + 480 * MIN });
    for (let i = 0; i < n; i++) {
      if (i === n / 2) clock.advance(MIN); // the morning's first half signed in a minute earlier
      await store.create(`s${i}`, rec(), t + 510 * MIN);
    }
    // Half the users sign out: tombstones.
    for (let i = 0; i < n / 2; i++) {
      await store.end(`s${i}`, { reason: 'logged-out', at: t }, t + 510 * MIN);
    }
    clock.advance(MIN);
    // New visitors take their room: each create evicts one tombstone (evictFirst).
    for (let i = 0; i < n / 2; i++) await store.create(`n${i}`, rec(), t + 510 * MIN);
    const before = store.stats().examined;
    await store.create('newcomer', rec(), t + 510 * MIN);
    const examined = store.stats().examined - before;
    expect(store.stats().sessions).toBe(n);
    expect(examined).toBeLessThan(128 * 4);
  });

  // A lazy eviction order re-queued at most 128 touched sessions, then evicted a usable
  // one of them while a session that had idled out behind them kept its room.
  it('a session that idled out goes before a usable one, also after many touches', async () => {
    const clock = manualClock();
    const evicted: string[] = [];
    const max = 200;
    const store = memoryStore({
      maxSessions: max,
      now: clock.now,
      onEvict: (e) => evicted.push(e.id),
    });
    const t = clock.now();
    const hashes: string[] = [];
    for (let i = 0; i < 150; i++) {
      const r = sessionRecord({
        lastActiveAt: t,
        idleExpiresAt: t + 10 * MIN,
        absoluteExpiresAt: t + 480 * MIN,
      });
      hashes.push(r.tokenHash);
      await store.create(`a${i}`, r, t + 510 * MIN);
    }
    await store.create(
      'dead',
      sessionRecord({ idleExpiresAt: t + 20 * MIN, absoluteExpiresAt: t + 480 * MIN }),
      t + 510 * MIN,
    );
    for (let i = 0; i < max - 151; i++) {
      await store.create(
        `b${i}`,
        sessionRecord({ idleExpiresAt: t + 60 * MIN, absoluteExpiresAt: t + 480 * MIN }),
        t + 510 * MIN,
      );
    }
    clock.advance(5 * MIN); // the a-users are active
    for (let i = 0; i < 150; i++) {
      const now = clock.now();
      await store.getAndTouch!(`a${i}`, {
        tokenHash: hashes[i]!,
        dueAtOrBefore: now,
        now,
        idleExpiresAt: now + 30 * MIN,
      });
    }
    clock.advance(16 * MIN); // 'dead' idled out at t+20m; every a-session is usable until t+35m
    await store.create('newcomer', sessionRecord(), clock.now() + 510 * MIN);
    expect(await store.get('dead')).toBeNull();
    expect(evicted).toEqual([]); // nobody usable signed out early
  });

  // onEvict runs inside insert(), and a store call made from it runs to completion there:
  // a create of the very key being created left its slot in the eviction order, and a
  // later eviction "dropped" it again and again without making room (a hang).
  it('a create re-entered from onEvict leaves no orphan in the order', async () => {
    const clock = manualClock();
    const t = clock.now();
    let reentered = false;
    let reports = 0;
    const rec = (idleMin: number) =>
      sessionRecord({ idleExpiresAt: t + idleMin * MIN, absoluteExpiresAt: t + 480 * MIN });
    const store = memoryStore({
      maxSessions: 2,
      now: clock.now,
      onEvict: () => {
        if (++reports > 20)
          throw new Error('eviction loop: the same orphan evicted again and again');
        if (reentered) return;
        reentered = true;
        void store.create('x', rec(25), t + 510 * MIN); // runs synchronously, here
      },
    });
    await store.create('a', rec(10), t + 510 * MIN);
    await store.create('b', rec(20), t + 510 * MIN);
    await store.create('x', rec(30), t + 510 * MIN); // evicts a; the re-entered x(25) evicts b; this x replaces it
    await store.create('y', rec(40), t + 510 * MIN);
    await store.create('z', rec(50), t + 510 * MIN);
    await store.create('w', rec(60), t + 510 * MIN);
    expect(store.stats().sessions).toBeLessThanOrEqual(2);
    expect(await store.get('w')).not.toBeNull();
  });
});

/** A few times what a sweep may spend in one operation (128 entries). */
const ONE_REQUEST_BUDGET = 128 * 4;
