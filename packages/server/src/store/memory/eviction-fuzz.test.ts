import { describe, expect, it, vi } from 'vitest';
import { manualClock, sessionRecord } from '../../testing/index.js';
import type { SessionRecord } from '../types.js';
import { ExpiryHeap } from './expiry-heap.js';
import { memoryStore } from './index.js';

const MIN = 60_000;

function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Random creates, touches, updates, rotations and endings against a model: each eviction
// must take a tombstone if any, else a session with the least min(idle, absolute, store
// deadline), and neither heap may outgrow 2 * size + 64 entries.
describe('memoryStore eviction order, random operations', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`seed ${seed}`, async () => {
      const heaps = new Set<ExpiryHeap<unknown>>();
      const push = ExpiryHeap.prototype.push;
      const spy = vi.spyOn(ExpiryHeap.prototype, 'push').mockImplementation(function (
        this: ExpiryHeap<unknown>,
        e,
      ) {
        heaps.add(this);
        return push.call(this, e);
      });
      try {
        const rnd = prng(seed);
        const pick = <T>(a: T[]) => a[Math.floor(rnd() * a.length)]!;
        const max = 8;
        const clock = manualClock();
        const evicted: string[] = [];
        const store = memoryStore({
          maxSessions: max,
          now: clock.now,
          onEvict: (e) => evicted.push(e.id),
        });
        const model = new Map<string, number>(); // key -> expiresAt last given
        let next = 0;
        let maxHeap = 0;
        let checks = 0;
        let tomb = 0;
        for (let step = 0; step < 4000; step++) {
          const now = clock.now();
          const keys = [...model.keys()];
          const op = rnd();
          if (op < 0.35 || keys.length === 0) {
            // create, checking the eviction choice against a scan
            const snapshot = new Map<string, SessionRecord>();
            for (const k of keys) {
              const r = await store.get(k);
              if (r) snapshot.set(k, r);
              else model.delete(k);
            }
            const key = `k${next++}`;
            const idle = now + Math.floor(rnd() * 60 * MIN) - 10 * MIN;
            const abs = now + Math.floor(rnd() * 120 * MIN);
            const exp = Math.max(abs, now) + 30 * MIN;
            evicted.length = 0;
            const liveBefore = [...snapshot.keys()];
            await store.create(
              key,
              sessionRecord({
                idleExpiresAt: Math.max(idle, now + 1),
                absoluteExpiresAt: Math.max(abs, now + 2),
              }),
              exp,
            );
            model.set(key, exp);
            if (snapshot.size >= max) {
              const gone = liveBefore
                .filter((k) => !model.has(k) || true)
                .filter((k) => snapshot.has(k) && store.stats().sessions <= max);
              const after = new Set<string>();
              for (const k of liveBefore) if ((await store.get(k)) !== null) after.add(k);
              const dropped = liveBefore.filter((k) => !after.has(k));
              expect(dropped.length).toBe(1);
              const d = dropped[0]!;
              const ended = [...snapshot.entries()].filter(([, r]) => r.ended !== null);
              checks++;
              if (ended.length > 0) tomb++;
              if (ended.length > 0) expect(snapshot.get(d)!.ended).not.toBeNull();
              else {
                const rank = (k: string) => {
                  const r = snapshot.get(k)!;
                  return Math.min(r.idleExpiresAt, r.absoluteExpiresAt, model.get(k)!);
                };
                const best = Math.min(...liveBefore.map(rank));
                expect(rank(d), `step ${step}`).toBe(best);
              }
              model.delete(d);
              void gone;
            }
          } else if (op < 0.5) {
            const k = pick(keys);
            const r = await store.get(k);
            if (r) {
              const t2 = now + Math.floor(rnd() * 40 * MIN);
              await store.getAndTouch!(k, {
                tokenHash: r.tokenHash,
                dueAtOrBefore: now,
                now,
                idleExpiresAt: t2,
              });
            }
          } else if (op < 0.65) {
            const k = pick(keys);
            const exp = now + 1 + Math.floor(rnd() * 200 * MIN);
            const meta: Record<string, number> = {};
            if (rnd() < 0.5) meta.absoluteExpiresAt = now + 1 + Math.floor(rnd() * 120 * MIN);
            if (rnd() < 0.5) meta.idleExpiresAt = now + Math.floor(rnd() * 60 * MIN);
            const res = await store.update(k, { meta }, exp);
            if (res === 'ok') model.set(k, exp);
          } else if (op < 0.72) {
            const k = pick(keys);
            const exp = now + 1 + Math.floor(rnd() * 200 * MIN);
            const res = await store.end(k, { reason: 'logged-out', at: now }, exp);
            if (res === 'ok') model.set(k, exp);
          } else if (op < 0.8) {
            const k = pick(keys);
            const r = await store.get(k);
            if (r && r.ended === null) {
              const exp = now + 1 + Math.floor(rnd() * 200 * MIN);
              const res = await store.rotate(
                k,
                {
                  expectedTokenHash: r.tokenHash,
                  tokenHash: `t${step}`,
                  previous: { tokenHash: r.tokenHash, until: now + 1000, confirmed: true } as never,
                  rotatedAt: now,
                },
                exp,
              );
              if (res === 'ok') model.set(k, exp);
            }
          } else {
            clock.advance(Math.floor(rnd() * 5 * MIN));
          }
          const size = store.stats().sessions;
          for (const h of heaps) maxHeap = Math.max(maxHeap, h.size - 2 * size);
        }
        expect(maxHeap).toBeLessThanOrEqual(64);
        // Not vacuous: evictions were checked, some of them with tombstones present.
        expect(checks).toBeGreaterThan(100);
        expect(tomb).toBeGreaterThan(0);
      } finally {
        spy.mockRestore();
      }
    });
  }
});
