import { describe, expect, it } from 'vitest';
import { jsonDataProblem } from './json-data.js';

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
