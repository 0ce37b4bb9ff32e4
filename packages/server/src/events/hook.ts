/**
 * Wraps an app's hook (an audit or logging callback) so that calling it never fails the
 * caller: a throw, or the rejection of a promise it returns (never awaited), is reported
 * to `console.error` as `lifeline: <name> hook failed`. A hook typed `=> void` may still be
 * an async function, and its rejection would otherwise end a Node process.
 *
 * @example
 * const reject = guardHook('csrfGuard onReject', options.onReject);
 * reject?.(c, reason);
 */
export function guardHook<A extends unknown[], R>(
  name: string,
  hook: (...args: A) => R,
): (...args: A) => R | undefined;
export function guardHook<A extends unknown[], R>(
  name: string,
  hook: ((...args: A) => R) | undefined,
): ((...args: A) => R | undefined) | undefined;
export function guardHook<A extends unknown[], R>(
  name: string,
  hook: ((...args: A) => R) | undefined,
): ((...args: A) => R | undefined) | undefined {
  if (hook === undefined) return undefined;
  const report = (error: unknown) => console.error(`lifeline: ${name} hook failed`, error);
  return (...args) => {
    try {
      const result = hook(...args);
      if (result instanceof Promise) result.catch(report);
      return result;
    } catch (error) {
      report(error);
      return undefined;
    }
  };
}
