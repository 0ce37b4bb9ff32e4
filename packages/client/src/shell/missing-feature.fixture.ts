import { afterEach } from 'vitest';

/**
 * Takes `name` away from `target` (from the object in its prototype chain that defines
 * it), as an older browser lacks it: `remove()` makes it read `undefined` until the test
 * ends, when the original comes back.
 *
 * @example
 * const timeout = missingFeature(AbortSignal, 'timeout'); // Safari before 16
 * timeout.remove();
 */
export function missingFeature(target: object, name: string) {
  let owner: object | null = target;
  while (owner && !Object.hasOwn(owner, name)) owner = Object.getPrototypeOf(owner);
  const holder = owner!;
  const original = Object.getOwnPropertyDescriptor(holder, name)!;
  afterEach(() => {
    Object.defineProperty(holder, name, original);
  });
  return {
    remove: () => Object.defineProperty(holder, name, { value: undefined, configurable: true }),
  };
}
