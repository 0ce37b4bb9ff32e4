import type { SessionStore } from './types.js';

/**
 * What is wrong with `store` as a store for a factory that calls `methods`, or `undefined`
 * when nothing is: checked at start-up, since a store missing a method would otherwise
 * fail a request long after (a 500). Inherited methods count: stores may be classes.
 *
 * @example
 * storeProblem({ get() {} }, ['get', 'end']); // 'must implement SessionStore: end() is missing'
 */
export function storeProblem(
  store: unknown,
  methods: ReadonlyArray<keyof SessionStore>,
): string | undefined {
  if (typeof store !== 'object' || store === null) return 'must be a SessionStore object';
  const missing = methods.find((m) => typeof (store as Record<string, unknown>)[m] !== 'function');
  return missing && `must implement SessionStore: ${missing}() is missing`;
}
