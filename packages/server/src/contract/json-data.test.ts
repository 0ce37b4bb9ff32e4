import fc from 'fast-check';
import { describe, expect, it, onTestFinished } from 'vitest';
import { jsonDataProblem, parsedJsonProblem } from './json-data.js';

describe('jsonDataProblem', () => {
  it('accepts JSON data, plain objects without a prototype, and absent object properties', () => {
    expect(jsonDataProblem({ a: [1, 'x', true, null], b: { c: -0.5 } }, 3)).toBeNull();
    expect(jsonDataProblem(Object.assign(Object.create(null), { a: 1 }), 1)).toBeNull();
    expect(jsonDataProblem({ nickname: undefined }, 1)).toBeNull();
  });

  it('names what JSON would change or drop, wherever it sits', () => {
    expect(jsonDataProblem([undefined], 2)).toBe('holds undefined (not JSON)');
    expect(jsonDataProblem({ a: [Infinity] }, 3)).toBe('holds Infinity (not JSON)');
    expect(jsonDataProblem({ at: new Date(0) }, 3)).toBe('holds a Date (not JSON)');
    expect(jsonDataProblem({ f: () => 1 }, 3)).toBe('holds a function (not JSON)');
    expect(jsonDataProblem(new (class Money {})(), 3)).toBe('holds a Money (not JSON)');
  });

  it('counts the outermost object as one level, and answers at once for a cycle', () => {
    expect(jsonDataProblem({ a: { b: {} } }, 3)).toBeNull();
    expect(jsonDataProblem({ a: { b: {} } }, 2)).toBe('nests deeper than 2 levels');
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    cycle.again = cycle;
    expect(jsonDataProblem(cycle, 1000)).toBe('nests deeper than 1000 levels');
  });
});

describe('jsonDataProblem, edges', () => {
  it("takes another realm's plain objects, as vm or a test runner makes them", async () => {
    const { runInNewContext } = await import('node:vm');
    expect(jsonDataProblem(runInNewContext('({ a: { b: [1] } })'), 3)).toBeNull();
    expect(jsonDataProblem(runInNewContext('({ at: new Date(0) })'), 3)).toBe(
      'holds a Date (not JSON)',
    );
  });

  it('refuses an array with holes, which the stores would give back differently', () => {
    const sparse: unknown[] = [1];
    sparse.length = 3;
    expect(jsonDataProblem({ list: sparse }, 3)).toBe('holds an array with holes');
  });
});

describe('parsedJsonProblem', () => {
  // JSON text, with numbers that overflow a double (or nearly do) and look-alikes in strings.
  const jsonText = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small' },
      fc.constantFrom(
        '1e400',
        '-1.5E+309',
        '1.7976931348623157e308',
        '1e-400',
        `${'9'.repeat(309)}`,
        `${'9'.repeat(308)}`,
        `0.${'9'.repeat(400)}`,
        '"1e400"',
        'null',
        '0',
      ),
      fc.string().map((s) => JSON.stringify(s)),
      fc.array(tie('node'), { maxLength: 3 }).map((items) => `[${items.join(',')}]`),
      fc.dictionary(fc.string(), tie('node'), { maxKeys: 3 }).map(
        (o) =>
          `{${Object.entries(o)
            .map(([k, v]) => `${JSON.stringify(k)}:${v}`)
            .join(',')}}`,
      ),
    ),
  })).node as fc.Arbitrary<string>;

  it('refuses exactly what jsonDataProblem refuses in any parsed JSON', () => {
    // Each may meet another of the value's problems first; both name one of the two kinds.
    const kind = /^(?:holds -?Infinity \(not JSON\)|nests deeper than \d+ levels)$/;
    fc.assert(
      fc.property(jsonText, fc.nat(6), (text, max) => {
        const value: unknown = JSON.parse(text);
        const found = parsedJsonProblem(value, max);
        const expected = jsonDataProblem(value, max);
        expect(found === null).toBe(expected === null);
        if (found !== null)
          expect([found, expected]).toEqual([
            expect.stringMatching(kind),
            expect.stringMatching(kind),
          ]);
      }),
      { numRuns: 3000 },
    );
  });

  it('looks at own keys only, as writes do, whatever a library added to Object.prototype', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.addedByALibrary = { more: Number.POSITIVE_INFINITY };
    onTestFinished(() => {
      delete proto.addedByALibrary;
    });
    const value: unknown = JSON.parse('{"cart":{"items":[1,{"sku":"a"}]}}');
    expect(jsonDataProblem(value, 1000)).toBeNull();
    expect(parsedJsonProblem(value, 1000)).toBeNull();
  });

  it('names a number JSON.parse read as Infinity, and nesting far deeper than the stack', () => {
    expect(parsedJsonProblem(JSON.parse('{"n":[-1e400]}'), 32)).toBe('holds -Infinity (not JSON)');
    const long = '9'.repeat(400);
    expect(parsedJsonProblem(JSON.parse(long), 32)).toBe('holds Infinity (not JSON)');
    const text = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
    const asks = (levels: number) => parsedJsonProblem(JSON.parse(text(levels)), 1000);
    expect(asks(1000)).toBeNull();
    expect(asks(1001)).toBe('nests deeper than 1000 levels');
    expect(asks(100_000)).toBe('nests deeper than 1000 levels');
  });
});
