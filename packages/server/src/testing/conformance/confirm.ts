import { describe, expect, it } from 'vitest';
import type { PreviousToken, RotationConfirmation, SessionStore } from '../../store/types.js';
import type { StoreContext } from '../context.js';
import { randomKey } from '../fixtures.js';
import { readWhole, rotatedSession } from './rotated.js';

const HOUR = 3_600_000;

/** The store's `confirmRotation`; the suite was told the store has one. */
function confirmRotation(store: SessionStore) {
  const method = store.confirmRotation;
  if (method === undefined) {
    throw new Error(
      'the store has no confirmRotation: pass { confirmRotation: false } to the suite',
    );
  }
  return (sid: string, confirmation: RotationConfirmation) => method.call(store, sid, confirmation);
}

/** A session rotated once, its predecessor not confirmed yet. */
const rotated = (ctx: StoreContext) =>
  rotatedSession(ctx.store, { until: Date.now() + 10_000, confirmed: false });

/** confirmRotation: a compare-and-set of `previous` on the current token hash. */
export function confirmCases(ctx: StoreContext): void {
  describe('confirmRotation', () => {
    it('keeps an unconfirmed predecessor as rotate wrote it', async () => {
      const { sid, previous } = await rotated(ctx);
      expect((await readWhole(ctx.store, sid))?.previous).toEqual(previous);
    });

    it('replaces the predecessor while the token is current, and changes nothing else', async () => {
      const { sid, previous, tokenHash } = await rotated(ctx);
      const before = await readWhole(ctx.store, sid);
      const confirmed = { ...previous, until: previous.until + 5_000, confirmed: true };
      const at = Date.now();
      expect(await confirmRotation(ctx.store)(sid, { tokenHash, previous: confirmed, at })).toBe(
        'ok',
      );
      expect(await readWhole(ctx.store, sid)).toEqual({ ...before, previous: confirmed });
    });

    it('never overwrites the predecessor of a newer rotation', async () => {
      const { sid, previous, tokenHash } = await rotated(ctx);
      const newer: PreviousToken = {
        tokenHash,
        until: Date.now() + 10_000,
        sealedSuccessor: 'sealed-newer',
        confirmed: false,
      };
      const swap = { expectedTokenHash: tokenHash, tokenHash: 'successor-newer', previous: newer };
      await ctx.store.rotate(sid, { ...swap, rotatedAt: Date.now() }, Date.now() + HOUR);
      const stale = { tokenHash, previous: { ...previous, confirmed: true }, at: Date.now() };
      expect(await confirmRotation(ctx.store)(sid, stale)).toBe('conflict');
      const stored = await readWhole(ctx.store, sid);
      expect(stored?.tokenHash).toBe('successor-newer');
      expect(stored?.previous).toEqual(newer);
    });

    // A store that checks the token and then writes `previous` apart lets a rotation land
    // in between, and the browser holding the newer predecessor loses its grace window.
    it('never overwrites the predecessor of a rotation sent in parallel', async () => {
      const { sid, previous, tokenHash } = await rotated(ctx);
      const newer: PreviousToken = {
        tokenHash,
        until: Date.now() + 10_000,
        sealedSuccessor: 'sealed-parallel',
        confirmed: false,
      };
      const swap = {
        expectedTokenHash: tokenHash,
        tokenHash: 'successor-parallel',
        previous: newer,
      };
      const confirmation = {
        tokenHash,
        previous: { ...previous, confirmed: true },
        at: Date.now(),
      };
      const [rotatedAgain] = await Promise.all([
        ctx.store.rotate(sid, { ...swap, rotatedAt: Date.now() }, Date.now() + HOUR),
        confirmRotation(ctx.store)(sid, confirmation),
      ]);
      expect(rotatedAgain).toBe('ok');
      const stored = await readWhole(ctx.store, sid);
      expect(stored?.tokenHash).toBe('successor-parallel');
      expect(stored?.previous).toEqual(newer);
    });

    it('answers missing for an unknown or ended session and creates nothing', async () => {
      const unknown = randomKey('sid');
      const previous = { tokenHash: 'x', until: Date.now(), sealedSuccessor: 's', confirmed: true };
      const at = Date.now();
      expect(await confirmRotation(ctx.store)(unknown, { tokenHash: 'y', previous, at })).toBe(
        'missing',
      );
      expect(await ctx.store.get(unknown)).toBeNull();
      const { sid, tokenHash } = await rotated(ctx);
      await ctx.store.end(sid, { reason: 'logged-out', at: Date.now() }, Date.now() + HOUR);
      const ended = await ctx.store.get(sid);
      expect(await confirmRotation(ctx.store)(sid, { tokenHash, previous, at })).toBe('missing');
      expect(await ctx.store.get(sid)).toEqual(ended);
    });
  });
}
