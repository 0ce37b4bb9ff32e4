import { describe, expect, it } from 'vitest';
import { nestsDeeperThan } from './depth.js';

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
