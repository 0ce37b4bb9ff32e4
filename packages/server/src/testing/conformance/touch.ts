import { describe, expect, it } from 'vitest';
import type { SessionRecord, SessionStore, TouchIfDue } from '../../store/types.js';
import type { StoreContext } from '../context.js';
import { randomKey, sessionRecord } from '../fixtures.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** The store's `getAndTouch`; the suite was told the store has one. */
function getAndTouch(store: SessionStore) {
  const method = store.getAndTouch;
  if (method === undefined) {
    throw new Error('the store has no getAndTouch: pass { getAndTouch: false } to the suite');
  }
  return (sid: string, touch: TouchIfDue) => method.call(store, sid, touch);
}

/** A record last touched 5 min ago, and a touch that is due (interval 3 min) for it. */
async function stored(ctx: StoreContext, overrides: Partial<SessionRecord> = {}) {
  const now = Date.now();
  const record = sessionRecord({
    lastActiveAt: now - 5 * MIN,
    idleExpiresAt: now + 25 * MIN,
    data: { cart: ['tea'] },
    ...overrides,
  });
  const sid = randomKey('sid');
  await ctx.store.create(sid, record, now + 9 * HOUR);
  const touch: TouchIfDue = {
    tokenHash: record.tokenHash,
    dueAtOrBefore: now - 3 * MIN,
    now,
    idleExpiresAt: now + 30 * MIN,
  };
  return { sid, record, touch, now };
}

/** getAndTouch: the read of an ordinary request with its throttled touch, in one step. */
export function touchCases(ctx: StoreContext): void {
  describe('getAndTouch', () => {
    it('moves lastActiveAt and the idle deadline when due, and returns the touched record', async () => {
      const { sid, record, touch, now } = await stored(ctx);
      const touched = { ...record, lastActiveAt: now, idleExpiresAt: now + 30 * MIN };
      expect(await getAndTouch(ctx.store)(sid, touch)).toEqual(touched);
      expect(await ctx.store.get(sid)).toEqual(touched);
    });

    it('caps the idle deadline at the absolute one', async () => {
      const now = Date.now();
      const { sid, touch } = await stored(ctx, {
        idleExpiresAt: now + 5 * MIN,
        absoluteExpiresAt: now + 10 * MIN,
      });
      const got = await getAndTouch(ctx.store)(sid, touch);
      expect(got?.idleExpiresAt).toBe(now + 10 * MIN);
      expect(got?.absoluteExpiresAt).toBe(now + 10 * MIN);
    });

    it('touches when the last touch is exactly at the due line', async () => {
      const { sid, touch, now } = await stored(ctx);
      const got = await getAndTouch(ctx.store)(sid, { ...touch, dueAtOrBefore: now - 5 * MIN });
      expect(got?.lastActiveAt).toBe(now);
    });

    it('touches once under 20 parallel reads, and every read sees a whole record', async () => {
      const { sid, record, touch, now } = await stored(ctx);
      const reads = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          getAndTouch(ctx.store)(sid, {
            ...touch,
            now: now + i,
            idleExpiresAt: now + i + 30 * MIN,
          }),
        ),
      );
      const touchedAt = new Set(reads.map((r) => r?.lastActiveAt));
      // The first to run touched; the others were inside the interval it started.
      expect(touchedAt.size).toBe(1);
      const [at] = touchedAt;
      expect(at).toBeGreaterThanOrEqual(now);
      for (const read of reads) {
        expect(read).toEqual({ ...record, lastActiveAt: at, idleExpiresAt: at! + 30 * MIN });
      }
      expect((await ctx.store.get(sid))?.lastActiveAt).toBe(at);
    });

    it('changes nothing while the touch is not due yet', async () => {
      const { sid, record, touch, now } = await stored(ctx, { lastActiveAt: Date.now() - MIN });
      expect(await getAndTouch(ctx.store)(sid, { ...touch, dueAtOrBefore: now - 3 * MIN })).toEqual(
        record,
      );
      expect(await ctx.store.get(sid)).toEqual(record);
    });

    it('never touches for a token hash that is not the current one', async () => {
      const { sid, record, touch } = await stored(ctx, {
        previous: { tokenHash: 'older-hash', until: Date.now() + MIN, sealedSuccessor: 'x' },
      });
      for (const tokenHash of ['older-hash', randomKey('token')]) {
        expect(await getAndTouch(ctx.store)(sid, { ...touch, tokenHash })).toEqual(record);
      }
      expect(await ctx.store.get(sid)).toEqual(record);
    });

    it('never touches a session whose idle or absolute deadline has passed', async () => {
      const now = Date.now();
      for (const overrides of [
        { idleExpiresAt: now - 1 },
        { idleExpiresAt: now },
        { absoluteExpiresAt: now, idleExpiresAt: now },
      ]) {
        const { sid, record, touch } = await stored(ctx, overrides);
        expect(await getAndTouch(ctx.store)(sid, { ...touch, now })).toEqual(record);
      }
    });

    it('returns a tombstone as it is, and never revives it', async () => {
      const { sid, touch } = await stored(ctx);
      await ctx.store.end(sid, { reason: 'logged-out', at: Date.now() }, Date.now() + HOUR);
      const ended = await ctx.store.get(sid);
      expect(await getAndTouch(ctx.store)(sid, touch)).toEqual(ended);
      expect(await ctx.store.get(sid)).toEqual(ended);
    });

    it('returns null for an unknown sid and creates nothing', async () => {
      const { touch } = await stored(ctx);
      const sid = randomKey('sid');
      expect(await getAndTouch(ctx.store)(sid, touch)).toBeNull();
      expect(await ctx.store.get(sid)).toBeNull();
    });

    it('leaves every data key as it was', async () => {
      const { sid, touch } = await stored(ctx, { data: { a: 1, b: { c: [null] } } });
      await ctx.store.update(sid, { set: { d: 'x' } }, Date.now() + 9 * HOUR);
      expect((await getAndTouch(ctx.store)(sid, touch))?.data).toEqual({
        a: 1,
        b: { c: [null] },
        d: 'x',
      });
    });
  });
}
