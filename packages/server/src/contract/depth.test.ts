import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonNestsDeeperThan, nestsDeeperThan } from './depth.js';

const nested = (levels: number) => {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = i % 2 ? { x: value } : [value];
  return value;
};

describe('nestsDeeperThan', () => {
  it('counts objects and arrays, the outermost as one level', () => {
    expect(nestsDeeperThan('text', 0)).toBe(false);
    expect(nestsDeeperThan({}, 0)).toBe(true);
    expect(nestsDeeperThan({}, 1)).toBe(false);
    expect(nestsDeeperThan({ a: [1], b: { c: null } }, 2)).toBe(false);
    expect(nestsDeeperThan({ a: 1, b: { c: [] } }, 2)).toBe(true);
    expect(nestsDeeperThan(nested(32), 32)).toBe(false);
    expect(nestsDeeperThan(nested(33), 32)).toBe(true);
  });

  it('answers for nesting far deeper than the stack could walk', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(nestsDeeperThan(deep, 32)).toBe(true);
  });
});

describe('jsonNestsDeeperThan', () => {
  it('answers as nestsDeeperThan does for the parsed text', () => {
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom('[', ']', '{"', '\\"]', '\\', 1, null),
        fc.string(),
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(fc.string(), tie('node'), { maxKeys: 3 }),
      ),
    })).node;
    fc.assert(
      fc.property(value, fc.nat(6), (v, max) => {
        const text = JSON.stringify(v);
        // Below 2 * max + 2 characters it answers without looking: no deeper nesting fits.
        expect(jsonNestsDeeperThan(text, JSON.parse(text), max)).toBe(nestsDeeperThan(v, max));
      }),
      { numRuns: 3000 },
    );
  });

  it('answers for nesting far deeper than the stack could walk', () => {
    const text = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
    const asks = (levels: number) =>
      jsonNestsDeeperThan(text(levels), JSON.parse(text(levels)), 1000);
    expect(asks(1000)).toBe(false);
    expect(asks(1001)).toBe(true);
    expect(asks(100_000)).toBe(true);
  });
});
