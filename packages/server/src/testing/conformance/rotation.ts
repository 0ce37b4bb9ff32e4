import { describe, expect, it } from 'vitest';
import type { RotationSwap } from '../../store/types.js';
import type { StoreContext } from '../context.js';
import { randomKey, sessionRecord } from '../fixtures.js';
import { readWhole } from './rotated.js';

const HOUR = 3_600_000;

function swapFrom(expectedTokenHash: string, n: number): RotationSwap {
  const now = Date.now();
  return {
    expectedTokenHash,
    tokenHash: `successor-${n}`,
    previous: { tokenHash: expectedTokenHash, until: now + 10_000, sealedSuccessor: `sealed-${n}` },
    rotatedAt: now,
  };
}

/** rotate: a compare-and-set on the current token hash. */
export function rotationCases(ctx: StoreContext): void {
  describe('rotate', () => {
    it('swaps the token hash, records the predecessor and keeps the data', async () => {
      const sid = randomKey('sid');
      const record = sessionRecord({ data: { cart: ['pear'] } });
      await ctx.store.create(sid, record, Date.now() + HOUR);
      const swap = swapFrom(record.tokenHash, 1);
      expect(await ctx.store.rotate(sid, swap, Date.now() + HOUR)).toBe('ok');
      const stored = await readWhole(ctx.store, sid);
      expect(stored).toEqual({
        ...record,
        tokenHash: swap.tokenHash,
        previous: swap.previous,
        rotatedAt: swap.rotatedAt,
      });
    });

    it('lets exactly one of 20 parallel rotations win; the stored hash is the winner', async () => {
      const sid = randomKey('sid');
      const record = sessionRecord();
      await ctx.store.create(sid, record, Date.now() + HOUR);
      const swaps = Array.from({ length: 20 }, (_, n) => swapFrom(record.tokenHash, n));
      const results = await Promise.all(
        swaps.map((swap) => ctx.store.rotate(sid, swap, Date.now() + HOUR)),
      );
      const winners = results.flatMap((result, n) => (result === 'ok' ? [n] : []));
      expect(winners).toHaveLength(1);
      expect(results.filter((r) => r === 'conflict')).toHaveLength(19);
      const winner = swaps[winners[0]!]!;
      const stored = await readWhole(ctx.store, sid);
      expect(stored?.tokenHash).toBe(winner.tokenHash);
      expect(stored?.previous).toEqual(winner.previous);
    });

    it('answers conflict for a stale expected hash and changes nothing', async () => {
      const sid = randomKey('sid');
      const record = sessionRecord();
      await ctx.store.create(sid, record, Date.now() + HOUR);
      expect(await ctx.store.rotate(sid, swapFrom('stale', 1), Date.now() + HOUR)).toBe('conflict');
      expect(await ctx.store.get(sid)).toEqual(record);
    });

    it('answers missing for an unknown or ended session', async () => {
      const sid = randomKey('sid');
      expect(await ctx.store.rotate(sid, swapFrom('x', 1), Date.now() + HOUR)).toBe('missing');
      expect(await ctx.store.get(sid)).toBeNull();
      const record = sessionRecord();
      await ctx.store.create(sid, record, Date.now() + HOUR);
      await ctx.store.end(sid, { reason: 'revoked', at: Date.now() }, Date.now() + HOUR);
      const result = await ctx.store.rotate(sid, swapFrom(record.tokenHash, 2), Date.now() + HOUR);
      expect(result).toBe('missing');
      expect((await ctx.store.get(sid))?.tokenHash).toBe(record.tokenHash);
    });
  });
}
