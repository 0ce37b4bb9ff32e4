import { describe, expect, it } from 'vitest';
import type { StoreContext } from '../context.js';
import { credentialRecord, randomKey, sessionRecord, sleep } from '../fixtures.js';
import { readWhole, rotatedSession } from './rotated.js';

const HOUR = 3_600_000;

/** Real-time expiry margins: `ttlMs` ahead, checked `ttlMs + settleMs` later. */
export interface ExpiryTiming {
  ttlMs: number;
  settleMs: number;
  /** Whether the store has `confirmRotation` (its case runs only then). */
  confirmRotation: boolean;
}

/** Deadlines run on real time (Redis TTLs do), so these tests sleep briefly. */
export function expiryCases(
  ctx: StoreContext,
  { ttlMs, settleMs, confirmRotation }: ExpiryTiming,
): void {
  describe('expiry', () => {
    it('forgets a session after its expiresAt, and updates then find nothing', async () => {
      const [short, long] = [randomKey('sid'), randomKey('sid')];
      const user = randomKey('user');
      await ctx.store.create(short, sessionRecord({ userId: user }), Date.now() + ttlMs);
      await ctx.store.create(long, sessionRecord({ userId: user }), Date.now() + HOUR);
      expect(await ctx.store.get(short)).not.toBeNull();
      await sleep(ttlMs + settleMs);
      expect(await ctx.store.get(short)).toBeNull();
      expect(await ctx.store.update(short, { set: { a: 1 } }, Date.now() + HOUR)).toBe('missing');
      expect(await ctx.store.get(short)).toBeNull();
      expect((await ctx.store.listByUser(user)).map((l) => l.sid)).toEqual([long]);
    });

    it('moves the deadline with update: a record updated to live longer survives', async () => {
      const sid = randomKey('sid');
      await ctx.store.create(sid, sessionRecord(), Date.now() + ttlMs);
      await ctx.store.update(sid, { set: { touched: true } }, Date.now() + HOUR);
      await sleep(ttlMs + settleMs);
      expect((await ctx.store.get(sid))?.data).toEqual({ touched: true });
    });

    it("keeps a record updated to live longer in its user's list", async () => {
      const sid = randomKey('sid');
      const user = randomKey('user');
      await ctx.store.create(sid, sessionRecord({ userId: user }), Date.now() + ttlMs);
      await ctx.store.update(sid, { set: { touched: true } }, Date.now() + HOUR);
      await sleep(ttlMs + settleMs);
      expect((await ctx.store.listByUser(user)).map((l) => l.sid)).toEqual([sid]);
    });

    it("keeps a record rotated to live longer in its user's list", async () => {
      const sid = randomKey('sid');
      const user = randomKey('user');
      const record = sessionRecord({ userId: user });
      await ctx.store.create(sid, record, Date.now() + ttlMs);
      const swap = {
        expectedTokenHash: record.tokenHash,
        tokenHash: randomKey('hash'),
        previous: { tokenHash: record.tokenHash, until: Date.now() + ttlMs },
        rotatedAt: Date.now(),
      };
      expect(await ctx.store.rotate(sid, swap, Date.now() + HOUR)).toBe('ok');
      await sleep(ttlMs + settleMs);
      expect((await ctx.store.listByUser(user)).map((l) => l.sid)).toEqual([sid]);
    });

    it("keeps a credential rotated to live longer among its user's, for revoke-all", async () => {
      const id = randomKey('cred');
      const user = randomKey('user');
      const record = credentialRecord(user, { expiresAt: Date.now() + ttlMs });
      await ctx.store.createCredential(id, record);
      const next = randomKey('hash');
      expect(await ctx.store.rotateCredential(id, record.tokenHash, next, Date.now() + HOUR)).toBe(
        'ok',
      );
      await sleep(ttlMs + settleMs);
      expect((await ctx.store.getCredential(id))?.tokenHash).toBe(next);
      await ctx.store.deleteCredentialsOfUser(user);
      expect(await ctx.store.getCredential(id)).toBeNull();
    });

    it('forgets a tombstone after the expiresAt given to end', async () => {
      const sid = randomKey('sid');
      await ctx.store.create(sid, sessionRecord(), Date.now() + HOUR);
      await ctx.store.end(sid, { reason: 'logged-out', at: Date.now() }, Date.now() + ttlMs);
      expect((await ctx.store.get(sid))?.ended?.reason).toBe('logged-out');
      await sleep(ttlMs + settleMs);
      expect(await ctx.store.get(sid)).toBeNull();
    });

    it("forgets a confirmed rotation's sealed successor at its until; an unconfirmed one's stays", async () => {
      const sealedOf = async (sid: string) =>
        (await readWhole(ctx.store, sid))?.previous?.sealedSuccessor;
      // Four rotations of a few round trips each, all checked before the first `until`:
      // a window of one `ttlMs` can pass before the check on a loaded machine.
      const window = ttlMs * 4;
      const rotated = (confirmed?: boolean) =>
        rotatedSession(ctx.store, { until: Date.now() + window, confirmed });
      const [plain, confirmedAtOnce] = [await rotated(undefined), await rotated(true)];
      const unconfirmed = confirmRotation ? await rotated(false) : null;
      const late = confirmRotation ? await rotated(false) : null;
      if (late) {
        // Confirmed later, with the rest of its window counted from the confirmation.
        const previous = { ...late.previous, until: Date.now() + window, confirmed: true };
        const at = Date.now();
        await ctx.store.confirmRotation?.(late.sid, { tokenHash: late.tokenHash, previous, at });
      }
      const all = [plain, confirmedAtOnce, unconfirmed, late].flatMap((r) => (r ? [r] : []));
      for (const { sid } of all) expect(await sealedOf(sid)).toBe(`sealed-${sid}`);
      await sleep(window + settleMs);
      for (const { sid } of [plain, confirmedAtOnce, ...(late ? [late] : [])]) {
        expect(await sealedOf(sid)).toBeUndefined();
        expect((await ctx.store.get(sid))?.tokenHash).toBe(`next-${sid}`);
      }
      if (unconfirmed) expect(await sealedOf(unconfirmed.sid)).toBe(`sealed-${unconfirmed.sid}`);
    });

    it("forgets a credential's `previous` at its until and keeps the credential", async () => {
      const [rotated, created] = [randomKey('cred'), randomKey('cred')];
      const record = credentialRecord(randomKey('user'));
      const previous = () => ({
        tokenHash: randomKey('token'),
        until: Date.now() + ttlMs,
        sealedSuccessor: randomKey('sealed'),
      });
      await ctx.store.createCredential(rotated, record);
      const expiresAt = Date.now() + HOUR;
      const rotation = previous();
      await ctx.store.rotateCredential(rotated, record.tokenHash, 'next', expiresAt, rotation);
      const stored = { ...record, previous: previous() };
      await ctx.store.createCredential(created, stored);
      expect((await ctx.store.getCredential(rotated))?.previous).toEqual(rotation);
      expect((await ctx.store.getCredential(created))?.previous).toEqual(stored.previous);
      await sleep(ttlMs + settleMs);
      const [late, lateCreated] = [
        await ctx.store.getCredential(rotated),
        await ctx.store.getCredential(created),
      ];
      expect(late).toMatchObject({ tokenHash: 'next', expiresAt, userId: record.userId });
      expect(late?.previous ?? null).toBeNull();
      expect(lateCreated).toMatchObject({ tokenHash: record.tokenHash });
      expect(lateCreated?.previous ?? null).toBeNull();
    });

    it('forgets a credential after its expiresAt', async () => {
      const id = randomKey('cred');
      await ctx.store.createCredential(
        id,
        credentialRecord(randomKey('user'), { expiresAt: Date.now() + ttlMs }),
      );
      expect(await ctx.store.getCredential(id)).not.toBeNull();
      await sleep(ttlMs + settleMs);
      expect(await ctx.store.getCredential(id)).toBeNull();
    });
  });
}
