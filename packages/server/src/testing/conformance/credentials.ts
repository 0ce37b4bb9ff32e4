import { describe, expect, it } from 'vitest';
import type { StoreContext } from '../context.js';
import { credentialRecord, randomKey } from '../fixtures.js';

const DAY = 86_400_000;

/** Remember-me credentials: create, compare-and-set rotation, deletion one by one or per user. */
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

    it('lets exactly one of 20 parallel credential rotations win', async () => {
      const id = randomKey('cred');
      const record = credentialRecord(randomKey('user'));
      await ctx.store.createCredential(id, record);
      const expiresAt = Date.now() + DAY;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, n) =>
          ctx.store.rotateCredential(id, record.tokenHash, `next-${n}`, expiresAt),
        ),
      );
      const winners = results.flatMap((result, n) => (result === 'ok' ? [n] : []));
      expect(winners).toHaveLength(1);
      expect((await ctx.store.getCredential(id))?.tokenHash).toBe(`next-${winners[0]}`);
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
