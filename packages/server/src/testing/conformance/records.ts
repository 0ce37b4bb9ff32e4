import { describe, expect, it } from 'vitest';
import type { StoreContext } from '../context.js';
import { AWKWARD_DATA, randomKey, sessionRecord } from '../fixtures.js';

const HOUR = 3_600_000;

/** get/create: round trips, refusing to overwrite, copies, unknown keys. */
export function recordCases(ctx: StoreContext): void {
  describe('create and get', () => {
    it('returns null for a sid it never stored', async () => {
      expect(await ctx.store.get(randomKey('unknown'))).toBeNull();
    });

    it('returns a created record deep-equal, nested JSON, nulls and odd keys included', async () => {
      const sid = randomKey('sid');
      const record = sessionRecord({
        userId: 'alice',
        user: { name: 'Alice', roles: ['admin'], avatar: null },
        authenticatedAt: Date.now(),
        userAgent: 'Mozilla/5.0',
        location: 'Amsterdam, NL',
        previous: { tokenHash: 'old', until: Date.now() + 10_000, sealedSuccessor: 'sealed' },
        data: { ...AWKWARD_DATA, ['__proto__']: 'just a key', constructor: { x: 1 } },
      });
      expect(await ctx.store.create(sid, record, Date.now() + HOUR)).toBe(true);
      const stored = await ctx.store.get(sid);
      expect(stored).toEqual(record);
      expect(Object.getPrototypeOf(stored?.data)).toBe(Object.prototype);
      expect(Object.hasOwn(stored?.data ?? {}, '__proto__')).toBe(true);
    });

    it('refuses an expiresAt that is not whole epoch milliseconds, writing nothing', async () => {
      const [fresh, live] = [randomKey('sid'), randomKey('sid')];
      const at = Date.now() + HOUR;
      for (const bad of [at + 0.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        await expect(ctx.store.create(fresh, sessionRecord(), bad)).rejects.toThrow(TypeError);
      }
      expect(await ctx.store.get(fresh)).toBeNull();
      await ctx.store.create(live, sessionRecord({ data: { a: 1 } }), at);
      await expect(ctx.store.update(live, { set: { a: 2 } }, at + 0.5)).rejects.toThrow(
        /expiresAt/,
      );
      const ended = { reason: 'logged-out' as const, at: Date.now() };
      await expect(ctx.store.end(live, ended, at + 0.5)).rejects.toThrow(/expiresAt/);
      expect(await ctx.store.get(live)).toMatchObject({ data: { a: 1 }, ended: null });
    });

    it('keeps the remember-me credential id the record links', async () => {
      const sid = randomKey('sid');
      const record = sessionRecord({ userId: 'alice', credentialId: randomKey('cred') });
      await ctx.store.create(sid, record, Date.now() + HOUR);
      expect(await ctx.store.get(sid)).toEqual(record);
      const none = randomKey('sid');
      await ctx.store.create(none, sessionRecord({ credentialId: null }), Date.now() + HOUR);
      expect((await ctx.store.get(none))?.credentialId).toBeNull();
    });

    it('reads a record without a credential id (an older one) as linking none', async () => {
      const sid = randomKey('sid');
      const { credentialId: _, ...older } = sessionRecord({ userId: 'alice' });
      await ctx.store.create(sid, older, Date.now() + HOUR);
      const stored = await ctx.store.get(sid);
      expect(stored).toMatchObject(older);
      expect(stored?.credentialId ?? null).toBeNull();
    });

    it('refuses to create over an existing sid and leaves the record unchanged', async () => {
      const sid = randomKey('sid');
      const first = sessionRecord({ data: { owner: 'first' } });
      await ctx.store.create(sid, first, Date.now() + HOUR);
      const second = sessionRecord({ userId: 'mallory', data: { owner: 'second' } });
      expect(await ctx.store.create(sid, second, Date.now() + HOUR)).toBe(false);
      expect(await ctx.store.get(sid)).toEqual(first);
      expect(await ctx.store.listByUser('mallory')).toEqual([]);
    });

    it('keeps its own copy: mutating the created or the returned object changes nothing', async () => {
      const sid = randomKey('sid');
      const record = sessionRecord({ data: { cart: ['apple'] } });
      await ctx.store.create(sid, record, Date.now() + HOUR);
      (record.data.cart as string[]).push('stolen');
      record.tokenHash = 'changed-by-caller';
      const read = await ctx.store.get(sid);
      if (read === null) throw new Error('record missing');
      (read.data.cart as string[]).push('also stolen');
      read.data.extra = true;
      read.userId = 'mallory';
      const again = await ctx.store.get(sid);
      expect(again?.data).toEqual({ cart: ['apple'] });
      expect(again?.tokenHash).not.toBe('changed-by-caller');
      expect(again?.userId).toBeNull();
    });
  });
}
