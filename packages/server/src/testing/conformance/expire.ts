import { describe, expect, it } from 'vitest';
import type { EndedMarker, SessionStore } from '../../store/types.js';
import type { StoreContext } from '../context.js';
import { randomKey, sessionRecord } from '../fixtures.js';

const HOUR = 3_600_000;
const MIN = 60_000;

/** The store's `endIfExpired`; the suite was told the store has one. */
function endIfExpired(store: SessionStore) {
  const method = store.endIfExpired;
  if (typeof method !== 'function') {
    throw new Error('the store has no endIfExpired: pass { endIfExpired: false } to the suite');
  }
  return method.bind(store);
}

/**
 * endIfExpired: `end`, only while a deadline is at or before `now`, in the same atomic step
 * (a sign-in under `maxSessionsPerUser` must not end a session a request touched since).
 */
export function expireCases(ctx: StoreContext): void {
  describe('endIfExpired', () => {
    /** A live session of `alice` with data, whose idle deadline is `idleIn` ms from `now`. */
    async function session(now: number, idleIn: number, absoluteIn = 8 * HOUR) {
      const sid = randomKey('sid');
      const record = sessionRecord({
        userId: 'alice',
        lastActiveAt: now - 30 * MIN + idleIn,
        idleExpiresAt: now + idleIn,
        absoluteExpiresAt: now + absoluteIn,
        data: { draft: 'kept while live' },
      });
      await ctx.store.create(sid, record, now + HOUR);
      return { sid, record };
    }
    const marker = (now: number): EndedMarker => ({ reason: 'idle-timeout', at: now });

    it('ends a session past its idle deadline: a tombstone, no longer listed', async () => {
      const now = Date.now();
      const { sid, record } = await session(now, -1);
      expect(await endIfExpired(ctx.store)(sid, marker(now), now + HOUR, now)).toBe('ok');
      expect(await ctx.store.get(sid)).toEqual({ ...record, ended: marker(now), data: {} });
      expect((await ctx.store.listByUser('alice')).map((e) => e.sid)).not.toContain(sid);
    });

    it('ends one whose deadline is exactly now, or whose absolute deadline passed', async () => {
      const now = Date.now();
      const atNow = await session(now, 0);
      const absolute = await session(now, 10 * MIN, -5);
      const end = endIfExpired(ctx.store);
      expect(await end(atNow.sid, marker(now), now + HOUR, now)).toBe('ok');
      const ended: EndedMarker = { reason: 'absolute-timeout', at: now };
      expect(await end(absolute.sid, ended, now + HOUR, now)).toBe('ok');
      expect((await ctx.store.get(absolute.sid))?.ended).toEqual(ended);
    });

    it('answers live and changes nothing while both deadlines are after now', async () => {
      const now = Date.now();
      const { sid, record } = await session(now, 1);
      expect(await endIfExpired(ctx.store)(sid, marker(now), now + HOUR, now)).toBe('live');
      expect(await ctx.store.get(sid)).toEqual(record);
    });

    it('answers live for a session a touch moved past now since it was read', async () => {
      const now = Date.now();
      const { sid } = await session(now, -1);
      const touch = { lastActiveAt: now - 2, idleExpiresAt: now + 30 * MIN - 2 };
      expect(await ctx.store.update(sid, { meta: touch }, now + HOUR)).toBe('ok');
      expect(await endIfExpired(ctx.store)(sid, marker(now), now + HOUR, now)).toBe('live');
      expect((await ctx.store.get(sid))?.ended).toBeNull();
    });

    it('answers missing for an ended or unknown session, keeping the first reason', async () => {
      const now = Date.now();
      const { sid } = await session(now, -1);
      const first: EndedMarker = { reason: 'logged-out', at: now };
      await ctx.store.end(sid, first, now + HOUR);
      const end = endIfExpired(ctx.store);
      expect(await end(sid, marker(now), now + HOUR, now)).toBe('missing');
      expect((await ctx.store.get(sid))?.ended).toEqual(first);
      const unknown = randomKey('sid');
      expect(await end(unknown, marker(now), now + HOUR, now)).toBe('missing');
      expect(await ctx.store.get(unknown)).toBeNull();
    });

    it('racing a touch: either the ending or the touch wins, never both', async () => {
      const now = Date.now();
      const sessions = await Promise.all(Array.from({ length: 20 }, () => session(now, -1)));
      const touch = { lastActiveAt: now - 2, idleExpiresAt: now + 30 * MIN - 2 };
      const end = endIfExpired(ctx.store);
      const results = await Promise.all(
        sessions.map(({ sid }, i) => {
          const ending = end(sid, marker(now), now + HOUR, now);
          const touching = ctx.store.update(sid, { meta: touch }, now + HOUR);
          // Half of them send the touch first.
          return i % 2 === 0
            ? Promise.all([ending, touching])
            : Promise.all([touching, ending]).then(([t, e]) => [e, t] as const);
        }),
      );
      for (const [i, [ending, touching]] of results.entries()) {
        const stored = await ctx.store.get(sessions[i]!.sid);
        if (ending === 'ok') {
          expect(touching).toBe('missing');
          expect(stored?.ended).toEqual(marker(now));
        } else {
          expect([ending, touching]).toEqual(['live', 'ok']);
          expect(stored).toMatchObject({ ended: null, idleExpiresAt: touch.idleExpiresAt });
        }
      }
    });
  });
}
