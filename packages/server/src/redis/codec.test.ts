import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseStoredJson } from './codec.js';

describe('parseStoredJson', () => {
  it('reads every text as JSON.parse does, or throws where it throws', () => {
    const numberish = fc.stringMatching(/^-?[0-9]{0,17}(\.[0-9]{0,3})?([eE][+-]?[0-9]{0,3})?$/);
    const text = fc.oneof(
      numberish,
      fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }).map(String),
      fc.constantFrom('null', 'nul', 'nulll', ' 1', '1 ', '01', '1x', '0', '-0', ''),
      fc.json(),
      fc.string(),
    );
    fc.assert(
      fc.property(text, (t) => {
        let expected: unknown;
        try {
          expected = JSON.parse(t);
        } catch {
          expect(() => parseStoredJson(t)).toThrow(SyntaxError);
          return;
        }
        expect(Object.is(parseStoredJson(t), expected) || typeof expected === 'object').toBe(true);
        expect(parseStoredJson(t)).toStrictEqual(expected);
      }),
      { numRuns: 5000 },
    );
  });
});
