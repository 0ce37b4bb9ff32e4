import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { metaSchema } from '../store/meta-schema.js';
import { readMeta } from './meta.js';

const NOW = 1_800_000_000_000;

const valid = {
  tokenHash: 'h'.repeat(43),
  previous: null,
  userId: null,
  user: null,
  createdAt: NOW,
  authenticatedAt: null,
  lastActiveAt: NOW,
  idleExpiresAt: NOW + 1,
  absoluteExpiresAt: NOW + 2,
  rotatedAt: NOW,
  userAgent: 'agent',
  location: null,
  credentialId: 'c'.repeat(43),
  ended: null,
};

// Values near every edge the schema draws: types, empty strings, negatives, fractions,
// unsafe integers, enums, nested objects with missing, extra or `__proto__` keys.
const tricky = fc.constantFrom<unknown>(
  null,
  true,
  0,
  -1,
  1.5,
  2 ** 53,
  NOW,
  '',
  'x',
  [],
  ['x'],
  {},
  { name: 'Ada' },
  JSON.parse('{"__proto__":{"polluted":true},"name":"Ada"}'),
  { tokenHash: 'a', until: NOW, sealedSuccessor: 's' },
  { tokenHash: '', until: NOW, sealedSuccessor: 's' },
  { tokenHash: 'a', until: -1, sealedSuccessor: 's' },
  { tokenHash: 'a', until: NOW, sealedSuccessor: 's', extra: 1 },
  { tokenHash: 'a', until: NOW, sealedSuccessor: 's', confirmed: false },
  { tokenHash: 'a', until: NOW, sealedSuccessor: 's', confirmed: true, extra: 1 },
  { tokenHash: 'a', until: NOW, sealedSuccessor: 's', confirmed: null },
  { tokenHash: 'a', until: NOW, sealedSuccessor: 's', confirmed: 'no' },
  { tokenHash: 'a', until: NOW },
  { reason: 'revoked', at: NOW },
  { reason: 'logged-out', detail: 'why', at: NOW },
  { reason: 'idle-timeout', detail: 3, at: NOW },
  { reason: 'missing', at: NOW },
  { reason: 'nope', at: NOW },
  { reason: 'absolute-timeout', at: 1.5, extra: true },
);

/** A stored meta object: a valid one with up to two fields tricky or absent, maybe an unknown field. */
const rawMeta = fc
  .record({
    changes: fc.array(
      fc.tuple(fc.constantFrom(...Object.keys(valid)), fc.option(tricky, { nil: undefined })),
      { maxLength: 2 },
    ),
    unknown: fc.option(tricky),
  })
  .map(({ changes, unknown }) => {
    const fields: Record<string, unknown> = { ...valid, ...Object.fromEntries(changes) };
    const raw: Record<string, unknown> = Object.create(null);
    for (const [name, value] of Object.entries(fields)) {
      // As decoding builds it: JSON.parse output, absent fields absent.
      if (value !== undefined) raw[name] = JSON.parse(JSON.stringify(value));
    }
    if (unknown !== null) raw.futureField = unknown;
    return raw;
  });

describe('stored session meta', () => {
  it('accepts exactly what the zod schema accepts, with the same output', () => {
    fc.assert(
      fc.property(rawMeta, (raw) => {
        const read = readMeta(raw);
        const parsed = metaSchema.safeParse(raw);
        expect(read.ok).toBe(parsed.success);
        if (read.ok && parsed.success) expect(read.meta).toStrictEqual(parsed.data);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads a record stored before the credential link as linking none', () => {
    const { credentialId: _, ...older } = valid;
    const read = readMeta(older);
    expect(read.ok && 'credentialId' in read.meta).toBe(false);
    expect(readMeta({ ...valid, credentialId: null })).toMatchObject({
      ok: true,
      meta: { credentialId: null },
    });
  });

  it('refuses a credential id that is not a string', () => {
    for (const credentialId of [42, true, {}, ['c']]) {
      expect(readMeta({ ...valid, credentialId })).toEqual({
        ok: false,
        issue: expect.stringContaining('credentialId'),
      });
    }
  });

  it('explains a rejection in zod’s words', () => {
    const read = readMeta({ ...valid, createdAt: 'yesterday' });
    expect(read).toEqual({ ok: false, issue: expect.stringContaining('createdAt') });
  });

  it('keeps a user object as parsed, and drops what the schema drops', () => {
    const user = { name: 'Ada', roles: ['admin'] };
    const stored: Record<string, unknown> = { ...valid, user, futureField: 1 };
    const read = readMeta(stored);
    expect(read.ok && read.meta.user).toBe(user);
    expect(read.ok && 'futureField' in read.meta).toBe(false);
    const proto = readMeta({ ...valid, user: JSON.parse('{"__proto__":{"a":1},"b":2}') });
    expect(proto.ok && proto.meta.user).toStrictEqual({ b: 2 });
  });
});
