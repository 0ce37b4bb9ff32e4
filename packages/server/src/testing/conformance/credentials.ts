import { describe, expect, it } from 'vitest';
import type { PreviousCredential } from '../../store/types.js';
import type { StoreContext } from '../context.js';
import { credentialRecord, randomKey } from '../fixtures.js';

const DAY = 86_400_000;

/** A credential's predecessor as a rotation stores it (opaque to the store). */
function previousOf(tokenHash: string): PreviousCredential {
  return { tokenHash, until: Date.now() + 10_000, sealedSuccessor: randomKey('sealed') };
}

/**
 * Remember-me credentials: create, compare-and-set rotation with its `previous`, deletion
 * one by one or per user.
 */
export function credentialCases(ctx: StoreContext): void {
  describe('credentials', () => {
    it('round-trips a credential and returns null for an unknown id', async () => {
      const id = randomKey('cred');
      const record = credentialRecord(randomKey('user'));
      expect(await ctx.store.createCredential(id, record)).toBe(true);
      expect(await ctx.store.getCredential(id)).toEqual(record);
      expect(await ctx.store.getCredential(randomKey('cred'))).toBeNull();
    });

    it('refuses to create over an existing id and keeps the first', async () => {
      const id = randomKey('cred');
      const first = credentialRecord(randomKey('user'));
      await ctx.store.createCredential(id, first);
      expect(await ctx.store.createCredential(id, credentialRecord('mallory'))).toBe(false);
      expect(await ctx.store.getCredential(id)).toEqual(first);
    });

    it('rotates by compare-and-set: conflict on a stale hash, missing on an unknown id', async () => {
      const id = randomKey('cred');
      const record = credentialRecord(randomKey('user'));
      await ctx.store.createCredential(id, record);
      const expiresAt = Date.now() + 60 * DAY;
      expect(await ctx.store.rotateCredential(id, 'stale', 'next', expiresAt)).toBe('conflict');
      expect(await ctx.store.rotateCredential(id, record.tokenHash, 'next', expiresAt)).toBe('ok');
      expect(await ctx.store.getCredential(id)).toEqual({
        ...record,
        tokenHash: 'next',
        expiresAt,
      });
      const unknown = randomKey('cred');
      expect(await ctx.store.rotateCredential(unknown, 'x', 'y', expiresAt)).toBe('missing');
      expect(await ctx.store.getCredential(unknown)).toBeNull();
    });

    it('lets exactly one of 20 parallel credential rotations win, with its own `previous`', async () => {
      const id = randomKey('cred');
      const record = credentialRecord(randomKey('user'));
      await ctx.store.createCredential(id, record);
      const expiresAt = Date.now() + DAY;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, n) =>
          ctx.store.rotateCredential(id, record.tokenHash, `next-${n}`, expiresAt, {
            ...previousOf(record.tokenHash),
            sealedSuccessor: `sealed-${n}`,
          }),
        ),
      );
      const winners = results.flatMap((result, n) => (result === 'ok' ? [n] : []));
      expect(winners).toHaveLength(1);
      const stored = await ctx.store.getCredential(id);
      expect(stored?.tokenHash).toBe(`next-${winners[0]}`);
      expect(stored?.previous?.sealedSuccessor).toBe(`sealed-${winners[0]}`);
    });

    it('round-trips a credential with its `previous`; one stored without reads as having none', async () => {
      const [withPrevious, without] = [randomKey('cred'), randomKey('cred')];
      const record = credentialRecord(randomKey('user'), { previous: previousOf('before') });
      await ctx.store.createCredential(withPrevious, record);
      expect(await ctx.store.getCredential(withPrevious)).toEqual(record);
      await ctx.store.createCredential(without, credentialRecord(randomKey('user')));
      expect((await ctx.store.getCredential(without))?.previous ?? null).toBeNull();
    });

    it('writes `previous` in the rotation: kept on a lost compare-and-set, replaced by the next, removed when not given', async () => {
      const id = randomKey('cred');
      const record = credentialRecord(randomKey('user'));
      await ctx.store.createCredential(id, record);
      const expiresAt = Date.now() + DAY;
      const first = previousOf(record.tokenHash);
      expect(await ctx.store.rotateCredential(id, record.tokenHash, 'h1', expiresAt, first)).toBe(
        'ok',
      );
      expect(await ctx.store.getCredential(id)).toEqual({
        ...record,
        tokenHash: 'h1',
        expiresAt,
        previous: first,
      });
      const second = previousOf('h1');
      expect(await ctx.store.rotateCredential(id, 'stale', 'hx', expiresAt, second)).toBe(
        'conflict',
      );
      expect((await ctx.store.getCredential(id))?.previous).toEqual(first);
      expect(await ctx.store.rotateCredential(id, 'h1', 'h2', expiresAt, second)).toBe('ok');
      expect((await ctx.store.getCredential(id))?.previous).toEqual(second);
      expect(await ctx.store.rotateCredential(id, 'h2', 'h3', expiresAt)).toBe('ok');
      const last = await ctx.store.getCredential(id);
      expect(last?.tokenHash).toBe('h3');
      expect(last?.previous ?? null).toBeNull();
    });

    it('deletes one credential, and deleting an unknown one is harmless', async () => {
      const [gone, kept] = [randomKey('cred'), randomKey('cred')];
      const user = randomKey('user');
      await ctx.store.createCredential(gone, credentialRecord(user));
      await ctx.store.createCredential(kept, credentialRecord(user));
      await ctx.store.deleteCredential(gone);
      await ctx.store.deleteCredential(randomKey('cred'));
      expect(await ctx.store.getCredential(gone)).toBeNull();
      expect(await ctx.store.getCredential(kept)).not.toBeNull();
    });

    it('deletes every credential of one user and no one else', async () => {
      const [alice, bob] = [randomKey('user'), randomKey('user')];
      const aliceIds = [randomKey('cred'), randomKey('cred'), randomKey('cred')];
      const bobId = randomKey('cred');
      for (const id of aliceIds) await ctx.store.createCredential(id, credentialRecord(alice));
      await ctx.store.createCredential(bobId, credentialRecord(bob));
      await ctx.store.deleteCredentialsOfUser(alice);
      for (const id of aliceIds) expect(await ctx.store.getCredential(id)).toBeNull();
      expect((await ctx.store.getCredential(bobId))?.userId).toBe(bob);
      await ctx.store.deleteCredentialsOfUser(randomKey('user'));
    });

    it('returns copies: mutating a read credential changes nothing stored', async () => {
      const id = randomKey('cred');
      const record = credentialRecord(randomKey('user'));
      await ctx.store.createCredential(id, record);
      const read = await ctx.store.getCredential(id);
      if (read === null) throw new Error('credential missing');
      read.tokenHash = 'forged';
      record.userId = 'mallory';
      expect((await ctx.store.getCredential(id))?.tokenHash).toBe(record.tokenHash);
      expect((await ctx.store.getCredential(id))?.userId).not.toBe('mallory');
    });
  });
}
