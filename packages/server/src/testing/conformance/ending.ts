import { describe, expect, it } from 'vitest';
import type { EndedMarker } from '../../store/types.js';
import type { StoreContext } from '../context.js';
import { randomKey, sessionRecord } from '../fixtures.js';
import { readWhole, rotatedSession } from './rotated.js';

const HOUR = 3_600_000;

/** end: a live session becomes a data-less tombstone that still says why it ended. */
export function endingCases(ctx: StoreContext): void {
  describe('end', () => {
    it('turns the session into a tombstone: ended marker, empty data, meta kept', async () => {
      const sid = randomKey('sid');
      const record = sessionRecord({ userId: 'alice', data: { secret: 'drop me' } });
      await ctx.store.create(sid, record, Date.now() + HOUR);
      const ended: EndedMarker = { reason: 'revoked', detail: 'admin', at: Date.now() };
      expect(await ctx.store.end(sid, ended, Date.now() + HOUR)).toBe('ok');
      expect(await ctx.store.get(sid)).toEqual({ ...record, ended, data: {} });
    });

    it("drops the sealed successor of the session's predecessor with its data", async () => {
      const { sid, previous } = await rotatedSession(ctx.store, { until: Date.now() + HOUR });
      const sealed = previous.sealedSuccessor;
      expect((await readWhole(ctx.store, sid))?.previous?.sealedSuccessor).toBe(sealed);
      await ctx.store.end(sid, { reason: 'logged-out', at: Date.now() }, Date.now() + HOUR);
      const tombstone = await readWhole(ctx.store, sid);
      expect(tombstone?.ended?.reason).toBe('logged-out');
      expect(tombstone?.previous?.sealedSuccessor).toBeUndefined();
    });

    it('keeps the successor a regenerate names on the tombstone', async () => {
      const sid = randomKey('sid');
      await ctx.store.create(sid, sessionRecord(), Date.now() + HOUR);
      const successor = randomKey('sid');
      const ended: EndedMarker = { reason: 'revoked', detail: 'regenerated', at: 1, successor };
      expect(await ctx.store.end(sid, ended, Date.now() + HOUR)).toBe('ok');
      expect((await ctx.store.get(sid))?.ended).toEqual(ended);
    });

    it('keeps the linked credential id on the tombstone', async () => {
      const sid = randomKey('sid');
      const credentialId = randomKey('cred');
      await ctx.store.create(sid, sessionRecord({ credentialId }), Date.now() + HOUR);
      const ended: EndedMarker = { reason: 'revoked', detail: 'user', at: Date.now() };
      expect(await ctx.store.end(sid, ended, Date.now() + HOUR)).toBe('ok');
      expect(await ctx.store.get(sid)).toMatchObject({ credentialId, ended });
    });

    it('changes nothing when the session already ended, keeping the first reason', async () => {
      const sid = randomKey('sid');
      await ctx.store.create(sid, sessionRecord(), Date.now() + HOUR);
      const first: EndedMarker = { reason: 'logged-out', at: Date.now() };
      await ctx.store.end(sid, first, Date.now() + HOUR);
      const second: EndedMarker = { reason: 'revoked', at: Date.now() };
      expect(await ctx.store.end(sid, second, Date.now() + HOUR)).toBe('missing');
      expect((await ctx.store.get(sid))?.ended).toEqual(first);
    });

    it('answers missing for an unknown sid and creates no tombstone', async () => {
      const sid = randomKey('sid');
      const ended: EndedMarker = { reason: 'revoked', at: Date.now() };
      expect(await ctx.store.end(sid, ended, Date.now() + HOUR)).toBe('missing');
      expect(await ctx.store.get(sid)).toBeNull();
    });

    it('refuses to create a new record over a tombstone', async () => {
      const sid = randomKey('sid');
      await ctx.store.create(sid, sessionRecord(), Date.now() + HOUR);
      await ctx.store.end(sid, { reason: 'logged-out', at: Date.now() }, Date.now() + HOUR);
      expect(await ctx.store.create(sid, sessionRecord(), Date.now() + HOUR)).toBe(false);
      expect((await ctx.store.get(sid))?.ended?.reason).toBe('logged-out');
    });
  });
}
