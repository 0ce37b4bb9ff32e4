import { describe, expect, it } from 'vitest';
import type { StoreContext } from '../context.js';
import { randomKey, sessionRecord } from '../fixtures.js';

const HOUR = 3_600_000;

/** update: per-key deltas that never clash, never resurrect, never create. */
export function updateCases(ctx: StoreContext): void {
  describe('update', () => {
    it('sets and unsets single keys, leaving the other keys as they were', async () => {
      const sid = randomKey('sid');
      await ctx.store.create(sid, sessionRecord({ data: { keep: 1, drop: 2 } }), Date.now() + HOUR);
      const result = await ctx.store.update(
        sid,
        { set: { added: { nested: [null] } }, unset: ['drop', 'never-there'] },
        Date.now() + HOUR,
      );
      expect(result).toBe('ok');
      expect((await ctx.store.get(sid))?.data).toEqual({ keep: 1, added: { nested: [null] } });
    });

    it('keeps both of two parallel updates to different keys', async () => {
      const sid = randomKey('sid');
      await ctx.store.create(sid, sessionRecord({ data: { base: true } }), Date.now() + HOUR);
      const results = await Promise.all([
        ctx.store.update(sid, { set: { a: 1 } }, Date.now() + HOUR),
        ctx.store.update(sid, { set: { b: 2 } }, Date.now() + HOUR),
        ctx.store.update(sid, { set: { c: [3] } }, Date.now() + HOUR),
      ]);
      expect(results).toEqual(['ok', 'ok', 'ok']);
      expect((await ctx.store.get(sid))?.data).toEqual({ base: true, a: 1, b: 2, c: [3] });
    });

    // A store that checks "live" and then writes lets an ending land in between: the data
    // a sign-out should have dropped stays in the tombstone.
    it('never writes data into a session an end() sent in parallel ended', async () => {
      const sid = randomKey('sid');
      await ctx.store.create(sid, sessionRecord({ data: { a: 1 } }), Date.now() + HOUR);
      const [, ended] = await Promise.all([
        ctx.store.update(sid, { set: { secret: 'card-number' } }, Date.now() + HOUR),
        ctx.store.end(sid, { reason: 'logged-out', at: Date.now() }, Date.now() + HOUR),
      ]);
      expect(ended).toBe('ok');
      const stored = await ctx.store.get(sid);
      expect(stored?.ended?.reason).toBe('logged-out');
      expect(stored?.data).toEqual({});
    });

    it('never pulls back the deadlines a parallel update moved further', async () => {
      const sid = randomKey('sid');
      const now = Date.now();
      const record = sessionRecord({ lastActiveAt: now - 60_000, idleExpiresAt: now + 60_000 });
      await ctx.store.create(sid, record, now + HOUR);
      await Promise.all([
        ctx.store.update(
          sid,
          { meta: { lastActiveAt: now + 2, idleExpiresAt: now + 1_800_002 } },
          now + HOUR,
        ),
        ctx.store.update(
          sid,
          { meta: { lastActiveAt: now + 1, idleExpiresAt: now + 1_800_001 } },
          now + HOUR,
        ),
      ]);
      const stored = await ctx.store.get(sid);
      expect(stored?.lastActiveAt).toBe(now + 2);
      expect(stored?.idleExpiresAt).toBe(now + 1_800_002);
    });

    it('changes the named meta fields and no others', async () => {
      const sid = randomKey('sid');
      const record = sessionRecord();
      await ctx.store.create(sid, record, Date.now() + HOUR);
      const later = record.lastActiveAt + 60_000;
      const meta = {
        lastActiveAt: later,
        idleExpiresAt: later + 30 * 60_000,
        authenticatedAt: later,
        user: { name: 'Bob', plan: null },
      };
      expect(await ctx.store.update(sid, { meta }, Date.now() + HOUR)).toBe('ok');
      expect(await ctx.store.get(sid)).toEqual({ ...record, ...meta });
    });

    it('links, replaces and unlinks a credential id through the meta patch', async () => {
      const sid = randomKey('sid');
      await ctx.store.create(sid, sessionRecord({ data: { a: 1 } }), Date.now() + HOUR);
      for (const credentialId of [randomKey('cred'), randomKey('cred'), null]) {
        const result = await ctx.store.update(sid, { meta: { credentialId } }, Date.now() + HOUR);
        expect(result).toBe('ok');
        expect(await ctx.store.get(sid)).toMatchObject({ credentialId, data: { a: 1 } });
      }
    });

    it('never moves lastActiveAt or the idle deadline back (a slow, earlier request)', async () => {
      const sid = randomKey('sid');
      const record = sessionRecord();
      await ctx.store.create(sid, record, Date.now() + HOUR);
      const earlier = {
        lastActiveAt: record.lastActiveAt - 60_000,
        idleExpiresAt: record.idleExpiresAt - 60_000,
      };
      expect(await ctx.store.update(sid, { set: { a: 1 }, meta: earlier }, Date.now() + HOUR)).toBe(
        'ok',
      );
      expect(await ctx.store.get(sid)).toEqual({ ...record, data: { a: 1 } });
    });

    it('moves the absolute deadline earlier, never later (a session past it stays dead)', async () => {
      const sid = randomKey('sid');
      const record = sessionRecord();
      await ctx.store.create(sid, record, Date.now() + HOUR);
      const later = { absoluteExpiresAt: record.absoluteExpiresAt + HOUR };
      expect(await ctx.store.update(sid, { meta: later }, Date.now() + 2 * HOUR)).toBe('ok');
      expect((await ctx.store.get(sid))?.absoluteExpiresAt).toBe(record.absoluteExpiresAt);
      const earlier = { absoluteExpiresAt: record.absoluteExpiresAt - HOUR };
      expect(await ctx.store.update(sid, { meta: earlier }, Date.now() + HOUR)).toBe('ok');
      expect((await ctx.store.get(sid))?.absoluteExpiresAt).toBe(earlier.absoluteExpiresAt);
    });

    it('answers missing for an unknown sid and does not create it', async () => {
      const sid = randomKey('sid');
      const result = await ctx.store.update(sid, { set: { a: 1 } }, Date.now() + HOUR);
      expect(result).toBe('missing');
      expect(await ctx.store.get(sid)).toBeNull();
    });

    it('answers missing after the session ended and never brings its data back', async () => {
      const sid = randomKey('sid');
      await ctx.store.create(sid, sessionRecord({ data: { a: 1 } }), Date.now() + HOUR);
      await ctx.store.end(sid, { reason: 'logged-out', at: Date.now() }, Date.now() + HOUR);
      const result = await ctx.store.update(sid, { set: { late: true } }, Date.now() + HOUR);
      expect(result).toBe('missing');
      const stored = await ctx.store.get(sid);
      expect(stored?.data).toEqual({});
      expect(stored?.ended?.reason).toBe('logged-out');
    });

    it('stores keys named like prototype members as plain data', async () => {
      const sid = randomKey('sid');
      await ctx.store.create(sid, sessionRecord(), Date.now() + HOUR);
      const set = JSON.parse('{"__proto__": {"polluted": true}, "constructor": "c"}');
      expect(await ctx.store.update(sid, { set }, Date.now() + HOUR)).toBe('ok');
      const data = (await ctx.store.get(sid))?.data ?? {};
      expect(Object.hasOwn(data, '__proto__')).toBe(true);
      expect(data.constructor).toBe('c');
      expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    });

    it('does not let the caller change the stored patch afterwards', async () => {
      const sid = randomKey('sid');
      await ctx.store.create(sid, sessionRecord(), Date.now() + HOUR);
      const list = ['a'];
      await ctx.store.update(sid, { set: { list } }, Date.now() + HOUR);
      list.push('b');
      expect((await ctx.store.get(sid))?.data).toEqual({ list: ['a'] });
    });
  });
}
