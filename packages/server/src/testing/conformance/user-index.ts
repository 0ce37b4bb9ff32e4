import { describe, expect, it } from 'vitest';
import type { StoreContext } from '../context.js';
import { randomKey, sessionRecord } from '../fixtures.js';

const HOUR = 3_600_000;

const sids = (listed: Array<{ sid: string }>): string[] => listed.map((l) => l.sid).sort();

/** listByUser: live sessions of one user, for "your devices" and revoke-all. */
export function userIndexCases(ctx: StoreContext): void {
  describe('listByUser', () => {
    it('lists the live sessions of a user with their records, and only theirs', async () => {
      const user = randomKey('user');
      const [a, b, other] = [randomKey('sid'), randomKey('sid'), randomKey('sid')];
      const recordA = sessionRecord({ userId: user, data: { n: 1 } });
      await ctx.store.create(a, recordA, Date.now() + HOUR);
      await ctx.store.create(b, sessionRecord({ userId: user }), Date.now() + HOUR);
      await ctx.store.create(
        other,
        sessionRecord({ userId: randomKey('user') }),
        Date.now() + HOUR,
      );
      await ctx.store.create(randomKey('sid'), sessionRecord(), Date.now() + HOUR);
      const listed = await ctx.store.listByUser(user);
      expect(sids(listed)).toEqual([a, b].sort());
      expect(listed.find((l) => l.sid === a)?.record).toEqual(recordA);
    });

    it('drops ended sessions from the list', async () => {
      const user = randomKey('user');
      const [kept, ended] = [randomKey('sid'), randomKey('sid')];
      await ctx.store.create(kept, sessionRecord({ userId: user }), Date.now() + HOUR);
      await ctx.store.create(ended, sessionRecord({ userId: user }), Date.now() + HOUR);
      await ctx.store.end(ended, { reason: 'revoked', at: Date.now() }, Date.now() + HOUR);
      expect(sids(await ctx.store.listByUser(user))).toEqual([kept]);
    });

    it('follows a userId set or changed through update meta', async () => {
      const [alice, bob] = [randomKey('user'), randomKey('user')];
      const sid = randomKey('sid');
      await ctx.store.create(sid, sessionRecord(), Date.now() + HOUR);
      expect(await ctx.store.listByUser(alice)).toEqual([]);
      await ctx.store.update(sid, { meta: { userId: alice } }, Date.now() + HOUR);
      expect(sids(await ctx.store.listByUser(alice))).toEqual([sid]);
      await ctx.store.update(sid, { meta: { userId: bob } }, Date.now() + HOUR);
      expect(await ctx.store.listByUser(alice)).toEqual([]);
      expect(sids(await ctx.store.listByUser(bob))).toEqual([sid]);
    });

    it('hands out copies: changing a listed record changes nothing stored', async () => {
      const sid = randomKey('sid');
      const user = randomKey('user');
      await ctx.store.create(
        sid,
        sessionRecord({ userId: user, data: { a: 1 } }),
        Date.now() + HOUR,
      );
      const [listed] = await ctx.store.listByUser(user);
      listed!.record.userId = 'mallory';
      listed!.record.data.a = 2;
      const stored = await ctx.store.get(sid);
      expect(stored?.userId).toBe(user);
      expect(stored?.data).toEqual({ a: 1 });
    });

    it('returns an empty list for a user it never saw', async () => {
      expect(await ctx.store.listByUser(randomKey('user'))).toEqual([]);
    });
  });
}
