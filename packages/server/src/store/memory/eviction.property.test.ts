import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { manualClock, sessionRecord } from '../../testing/index.js';
import type { SessionRecord } from '../types.js';
import { memoryStore } from './index.js';
import { RankHeap } from './rank-heap.js';

const MIN = 60_000;
const seen = { tomb: 0, followed: 0, rank: 0, usable: 0, cred: 0 };

type Op =
  | { k: 'create'; idle: number; abs: number; exp: number; ended: Tomb | null }
  | { k: 'touch'; pick: number; idle: number }
  | { k: 'update'; pick: number; exp: number; idle?: number; abs?: number }
  | { k: 'end'; pick: number; exp: number; followed: boolean }
  | { k: 'rotate'; pick: number; exp: number }
  | { k: 'advance'; by: number }
  | { k: 'credCreate'; exp: number; user: number }
  | { k: 'credRotate'; pick: number; exp: number }
  | { k: 'credDelete'; pick: number }
  | { k: 'credDeleteUser'; user: number };

const m = (lo: number, hi: number) => fc.integer({ min: lo, max: hi });
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      k: fc.constant('create' as const),
      idle: m(-10, 60),
      abs: m(-5, 120),
      exp: m(1, 200),
      ended: fc
        .integer({ min: 0, max: 7 })
        .map((x): Tomb | null => (x === 0 ? 'plain' : x === 1 ? 'followed' : null)),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ k: fc.constant('touch' as const), pick: fc.nat(), idle: m(0, 60) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('update' as const),
      pick: fc.nat(),
      exp: m(1, 200),
      idle: fc.option(m(0, 60), { nil: undefined }),
      abs: fc.option(m(1, 120), { nil: undefined }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('end' as const),
      pick: fc.nat(),
      exp: m(1, 200),
      followed: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ k: fc.constant('rotate' as const), pick: fc.nat(), exp: m(1, 200) }),
  },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('advance' as const), by: m(0, 10) }) },
  {
    weight: 3,
    arbitrary: fc.record({ k: fc.constant('credCreate' as const), exp: m(1, 200), user: m(0, 3) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ k: fc.constant('credRotate' as const), pick: fc.nat(), exp: m(1, 200) }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('credDelete' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('credDeleteUser' as const), user: m(0, 3) }) },
);

type Held = { key: string; rank: number; heapPos: number };
/** A tombstone nothing follows (a sign-out), or one a revocation follows (a renewal's). */
type Tomb = 'plain' | 'followed';
/** The ended marker of each kind of tombstone. */
const marker = (tomb: Tomb, at: number) =>
  tomb === 'plain'
    ? { reason: 'logged-out' as const, at }
    : { reason: 'revoked' as const, detail: 'regenerated', at, successor: 'next' };

// Random session and credential operations on small bounded stores, against a model:
// which record each eviction takes, what is reported and counted, and that no slot is
// left in the eviction order once it leaves the store.
describe('memory store eviction order against a model', () => {
  afterEach(() => vi.restoreAllMocks());

  it('evicts what the model says, reports it right, and leaves no slot in the order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 40, maxLength: 150 }), async (ops) => {
        const pushed: Held[] = [];
        const heaps = new Set<RankHeap<Held>>();
        const push = RankHeap.prototype.push;
        const spy = vi.spyOn(RankHeap.prototype, 'push').mockImplementation(function (
          this: RankHeap<Held>,
          item: Held,
        ) {
          heaps.add(this);
          pushed.push(item);
          return push.call(this, item);
        });
        try {
          const clock = manualClock();
          const reports: string[] = [];
          const max = 4;
          const store = memoryStore({
            maxSessions: max,
            maxCredentials: 3,
            now: clock.now,
            onEvict: (e) => reports.push(e.id),
          });
          const sessions = new Map<string, number>(); // key -> store deadline
          const creds = new Map<string, { exp: number; user: number }>();
          // Tombstones in the order they ended, by kind.
          const endOrder: Record<Tomb, string[]> = { plain: [], followed: [] };
          const forget = (k: string) => {
            for (const list of Object.values(endOrder)) {
              if (list.includes(k)) list.splice(list.indexOf(k), 1);
            }
          };
          let n = 0;
          for (const o of ops) {
            const now = clock.now();
            const sKeys = [...sessions.keys()];
            const cKeys = [...creds.keys()];
            const pickS = (p: number) => sKeys[p % sKeys.length];
            const pickC = (p: number) => cKeys[p % cKeys.length];
            reports.length = 0;
            if (o.k === 'create') {
              // Snapshot (get drops what is past its deadline).
              const snap = new Map<string, SessionRecord>();
              for (const k of sKeys) {
                const r = await store.get(k);
                if (r) snap.set(k, r);
                else {
                  sessions.delete(k);
                  forget(k);
                }
              }
              const before = store.stats();
              const key = `s${n++}`;
              const ended = o.ended ? marker(o.ended, now) : null;
              const exp = now + o.exp * MIN;
              await store.create(
                key,
                sessionRecord({
                  idleExpiresAt: now + o.idle * MIN,
                  absoluteExpiresAt: now + o.abs * MIN,
                  ended,
                }),
                exp,
              );
              const after = store.stats();
              if (snap.size >= max) {
                const dropped: string[] = [];
                for (const k of snap.keys()) if ((await store.get(k)) === null) dropped.push(k);
                expect(dropped.length).toBe(1);
                const d = dropped[0]!;
                const tombs = endOrder.plain.filter((k) => snap.has(k));
                const followed = endOrder.followed.filter((k) => snap.has(k));
                // A tombstone ranks by its store deadline, a session by when it stops being usable.
                const rank = (k: string) => {
                  const r = snap.get(k)!;
                  if (r.ended) return sessions.get(k)!;
                  return Math.min(r.idleExpiresAt, r.absoluteExpiresAt, sessions.get(k)!);
                };
                const least = Math.min(...[...snap.keys()].map(rank));
                if (tombs.length > 0) {
                  seen.tomb++;
                  expect(d).toBe(tombs[0]);
                  expect(reports).toEqual([]);
                  expect(after.expired - before.expired).toBe(1);
                } else if (followed.length > 0 && least > now) {
                  seen.followed++;
                  expect(d).toBe(followed[0]);
                  expect(reports).toEqual([d]);
                  expect(after.evicted - before.evicted).toBe(1);
                } else {
                  expect(rank(d)).toBe(least);
                  const usable = rank(d) > now;
                  seen.rank++;
                  if (usable) seen.usable++;
                  expect(reports).toEqual(usable ? [d] : []);
                  expect(after.evicted - before.evicted).toBe(usable ? 1 : 0);
                  expect(after.expired - before.expired).toBe(usable ? 0 : 1);
                }
                sessions.delete(d);
                forget(d);
              }
              sessions.set(key, exp);
              if (o.ended) endOrder[o.ended].push(key);
              expect(await store.get(key)).not.toBeNull();
            } else if (o.k === 'touch' && sKeys.length) {
              const k = pickS(o.pick)!;
              const r = await store.get(k);
              if (r) {
                await store.getAndTouch!(k, {
                  tokenHash: r.tokenHash,
                  dueAtOrBefore: now,
                  now,
                  idleExpiresAt: now + o.idle * MIN,
                });
              }
            } else if (o.k === 'update' && sKeys.length) {
              const k = pickS(o.pick)!;
              const meta: Record<string, number> = {};
              if (o.idle !== undefined) meta.idleExpiresAt = now + o.idle * MIN;
              if (o.abs !== undefined) meta.absoluteExpiresAt = now + o.abs * MIN;
              if ((await store.update(k, { meta }, now + o.exp * MIN)) === 'ok')
                sessions.set(k, now + o.exp * MIN);
            } else if (o.k === 'end' && sKeys.length) {
              const k = pickS(o.pick)!;
              const tomb: Tomb = o.followed ? 'followed' : 'plain';
              if ((await store.end(k, marker(tomb, now), now + o.exp * MIN)) === 'ok') {
                sessions.set(k, now + o.exp * MIN);
                endOrder[tomb].push(k);
              }
            } else if (o.k === 'rotate' && sKeys.length) {
              const k = pickS(o.pick)!;
              const r = await store.get(k);
              if (r && r.ended === null) {
                const res = await store.rotate(
                  k,
                  {
                    expectedTokenHash: r.tokenHash,
                    tokenHash: `t${n++}`,
                    previous: {
                      tokenHash: r.tokenHash,
                      until: now + 1000,
                      confirmed: true,
                    } as never,
                    rotatedAt: now,
                  },
                  now + o.exp * MIN,
                );
                if (res === 'ok') sessions.set(k, now + o.exp * MIN);
              }
            } else if (o.k === 'advance') {
              clock.advance(o.by * MIN);
            } else if (o.k === 'credCreate') {
              const live = [...creds].filter(([, c]) => c.exp > now);
              for (const [k, c] of creds) if (c.exp <= now) creds.delete(k);
              const key = `c${n++}`;
              const before = store.stats();
              await store.createCredential(key, {
                tokenHash: 'x',
                userId: `u${o.user}`,
                createdAt: now,
                expiresAt: now + o.exp * MIN,
              });
              if (live.length >= 3) {
                const least = Math.min(...live.map(([, c]) => c.exp));
                const gone: string[] = [];
                for (const [k] of live) if ((await store.getCredential(k)) === null) gone.push(k);
                seen.cred++;
                expect(gone.length).toBe(1);
                expect(creds.get(gone[0]!)!.exp).toBe(least);
                expect(reports).toEqual(gone);
                expect(store.stats().evicted - before.evicted).toBe(1);
                creds.delete(gone[0]!);
              }
              creds.set(key, { exp: now + o.exp * MIN, user: o.user });
            } else if (o.k === 'credRotate' && cKeys.length) {
              const k = pickC(o.pick)!;
              const res = await store.rotateCredential(k, 'x', 'x', now + o.exp * MIN);
              if (res === 'ok') creds.get(k)!.exp = now + o.exp * MIN;
            } else if (o.k === 'credDelete' && cKeys.length) {
              const k = pickC(o.pick)!;
              await store.deleteCredential(k);
              creds.delete(k);
            } else if (o.k === 'credDeleteUser') {
              await store.deleteCredentialsOfUser(`u${o.user}`);
              for (const [k, c] of creds) if (c.user === o.user) creds.delete(k);
            }
            // Structural: every slot in an order is in the store, at the place it says.
            const stats = store.stats();
            const inOrder = pushed.filter((p) => p.heapPos >= 0);
            let total = 0;
            for (const h of heaps) total += h.size;
            expect(inOrder.length).toBe(total);
            expect(total).toBe(stats.sessions + stats.credentials);
            expect(stats.sessions).toBeLessThanOrEqual(max);
            expect(stats.credentials).toBeLessThanOrEqual(3);
          }
        } finally {
          spy.mockRestore();
        }
      }),
      { numRuns: 600 },
    );
    // Not vacuous: every kind of drop happened.
    expect(seen.tomb * seen.followed * seen.rank * seen.usable * seen.cred).toBeGreaterThan(0);
    // 600 runs take about 3 s alone, and over 5 s (the default limit) on a busy two-core machine.
  }, 30_000);
});
