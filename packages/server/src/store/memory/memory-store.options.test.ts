import { describe, expect, it } from 'vitest';
import { memoryStore } from './index.js';

// positiveInteger() interpolates the value into its message with `${value}`: for a value
// that cannot become a string (a Symbol, an object without a prototype, `{}` with a
// throwing toString) the message itself throws, and the start-up error no longer names
// the option ("Cannot convert a Symbol value to a string").
describe('memoryStore: a bound that cannot be printed', () => {
  it.each<[string, unknown]>([
    ['a symbol', Symbol('n')],
    ['an object without a prototype', Object.create(null)],
  ])('is refused naming maxSessions for %s', (_, value) => {
    expect(() => memoryStore({ maxSessions: value as number })).toThrow(/maxSessions/);
  });
});
