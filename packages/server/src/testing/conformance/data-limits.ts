import { describe, expect, it } from 'vitest';
import { MAX_DATA_DEPTH } from '../../contract/depth.js';
import type { JsonValue } from '../../store/types.js';
import type { StoreContext } from '../context.js';
import { randomKey, sessionRecord } from '../fixtures.js';

const HOUR = 3_600_000;

/** Arrays nested `levels` deep (`[]` is one level). */
function nested(levels: number): JsonValue {
  return JSON.parse(`${'['.repeat(levels)}${']'.repeat(levels)}`) as JsonValue;
}

/** Keys holding a lone surrogate: high, low, and one cut out of the middle of a pair. */
const LONE_SURROGATE_KEYS = ['\uD83D', '\uDE00', 'cart-\uD83D-x'];

/** Resolves to what `write` rejected with, failing the test if it resolved instead. */
async function refusal(write: Promise<unknown>): Promise<Error> {
  const outcome = await write.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected a refusal, got ${String(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(TypeError);
  return outcome.error as Error;
}

/**
 * Data no store can keep: every store refuses it at the write, as `session.set()` does,
 * so that stores agree, and an app calling one directly learns at once.
 */
export function dataLimitCases(ctx: StoreContext): void {
  describe('data limits', () => {
    it(`creates data nested ${MAX_DATA_DEPTH} levels deep, and refuses deeper, writing nothing`, async () => {
      const sid = randomKey('sid');
      const at = Date.now() + HOUR;
      const deeper = sessionRecord({
        userId: 'deep',
        data: { ok: 1, no: nested(MAX_DATA_DEPTH + 1) },
      });
      const error = await refusal(ctx.store.create(sid, deeper, at));
      expect(error.message).toMatch(/deeper/);
      expect(await ctx.store.get(sid)).toBeNull();
      expect(await ctx.store.listByUser('deep')).toEqual([]);
      const deepest = sessionRecord({ data: { ok: nested(MAX_DATA_DEPTH) } });
      expect(await ctx.store.create(sid, deepest, at)).toBe(true);
      expect(await ctx.store.get(sid)).toEqual(deepest);
    });

    it(`refuses an update setting a value nested deeper than ${MAX_DATA_DEPTH} levels, changing nothing`, async () => {
      const sid = randomKey('sid');
      const at = Date.now() + HOUR;
      const record = sessionRecord({ data: { a: 1 } });
      await ctx.store.create(sid, record, at);
      const later = record.lastActiveAt + 60_000;
      const patch = {
        set: { a: 2, b: 3, no: nested(MAX_DATA_DEPTH + 1) },
        unset: ['a'],
        meta: { lastActiveAt: later, idleExpiresAt: later + 60_000 },
      };
      const error = await refusal(ctx.store.update(sid, patch, at));
      expect(error.message).toMatch(/deeper/);
      expect(await ctx.store.get(sid)).toEqual(record);
    });

    it('refuses data that is not JSON, which stores would give back changed, writing nothing', async () => {
      const at = Date.now() + HOUR;
      const record = sessionRecord({ data: { a: 1 } });
      const kept = randomKey('sid');
      await ctx.store.create(kept, record, at);
      const holes: unknown[] = [1];
      holes.length = 3;
      for (const value of [new Date(0), Number.NaN, 10n, [holes]]) {
        const sid = randomKey('sid');
        const bad = { ...record, data: { ok: 1, no: value as JsonValue } };
        expect((await refusal(ctx.store.create(sid, bad, at))).message).toMatch(/holds/);
        expect(await ctx.store.get(sid)).toBeNull();
        const patch = { set: { a: 2, no: value as JsonValue } };
        expect((await refusal(ctx.store.update(kept, patch, at))).message).toMatch(/holds/);
      }
      expect(await ctx.store.get(kept)).toEqual(record);
    });

    // Stored, a wrongly typed meta value came back as it was from one store (a 500 in the
    // session routes) and as a corrupt record from another (the session lost).
    it('refuses meta of the wrong type at create and update, writing nothing', async () => {
      const at = Date.now() + HOUR;
      const record = sessionRecord({ userId: 'typed' });
      const sid = randomKey('sid');
      const bad = { ...record, userId: 5 } as unknown as typeof record;
      expect((await refusal(ctx.store.create(sid, bad, at))).message).toMatch(/userId/);
      expect(await ctx.store.get(sid)).toBeNull();
      await ctx.store.create(sid, record, at);
      for (const meta of [{ userId: 5 }, { idleExpiresAt: 'soon' }, { user: [1] }]) {
        const patch = { set: { a: 1 }, meta: meta as never };
        expect((await refusal(ctx.store.update(sid, patch, at))).message).toMatch(
          new RegExp(Object.keys(meta)[0]!),
        );
      }
      expect(await ctx.store.get(sid)).toEqual(record);
    });

    // Kept, such a record made one store's own `get` throw; another refused it naming
    // nothing. Only the API takes it (the middleware writes whole records).
    it('refuses a record missing a required field, or whose data is no object, writing nothing', async () => {
      const at = Date.now() + HOUR;
      const record = sessionRecord({ userId: 'whole' });
      for (const field of ['previous', 'tokenHash', 'lastActiveAt', 'userId', 'ended']) {
        const sid = randomKey('sid');
        const bad = { ...record, [field]: undefined } as unknown as typeof record;
        expect((await refusal(ctx.store.create(sid, bad, at))).message).toMatch(
          new RegExp(`\`${field}\``),
        );
        expect(await ctx.store.get(sid)).toBeNull();
      }
      for (const data of [5, null, [1]]) {
        const sid = randomKey('sid');
        const bad = { ...record, data } as unknown as typeof record;
        expect((await refusal(ctx.store.create(sid, bad, at))).message).toMatch(/`data`/);
        expect(await ctx.store.get(sid)).toBeNull();
      }
    });

    // checkClaims (regenerate, rememberMe's findUser) lets claims hold an `undefined`
    // property, which JSON drops: a store must keep such claims, not refuse the sign-in.
    it('keeps claims holding an undefined property, dropping it', async () => {
      const at = Date.now() + HOUR;
      const sid = randomKey('sid');
      const user = { name: 'Ada', avatar: undefined } as unknown as { name: string };
      expect(await ctx.store.create(sid, sessionRecord({ userId: 'claims', user }), at)).toBe(true);
      expect((await ctx.store.get(sid))?.user).toEqual({ name: 'Ada' });
    });

    it('refuses to create data under a key holding a lone surrogate, writing nothing', async () => {
      const at = Date.now() + HOUR;
      for (const key of LONE_SURROGATE_KEYS) {
        const sid = randomKey('sid');
        const record = sessionRecord({ userId: 'lone', data: { ok: 1, [key]: 'lost' } });
        const error = await refusal(ctx.store.create(sid, record, at));
        expect(error.message).toMatch(/surrogate/);
        expect(await ctx.store.get(sid)).toBeNull();
      }
      expect(await ctx.store.listByUser('lone')).toEqual([]);
      // Well-formed look-alikes stay apart: a whole pair, and the replacement character.
      const sid = randomKey('sid');
      const record = sessionRecord({ data: { '\uD83D\uDE00': 1, '\uFFFD': 2, '\uFFFD\uFFFD': 3 } });
      expect(await ctx.store.create(sid, record, at)).toBe(true);
      expect(await ctx.store.get(sid)).toEqual(record);
    });

    it('refuses an update setting or unsetting a key holding a lone surrogate, changing nothing', async () => {
      const sid = randomKey('sid');
      const at = Date.now() + HOUR;
      const record = sessionRecord({ data: { '\uFFFD': 'kept', a: 1 } });
      await ctx.store.create(sid, record, at);
      for (const key of LONE_SURROGATE_KEYS) {
        const set = await refusal(ctx.store.update(sid, { set: { a: 2, [key]: 'lost' } }, at));
        expect(set.message).toMatch(/surrogate/);
        const unset = await refusal(ctx.store.update(sid, { set: { a: 2 }, unset: [key] }, at));
        expect(unset.message).toMatch(/surrogate/);
      }
      expect(await ctx.store.get(sid)).toEqual(record);
    });
  });
}
