/**
 * Every option a factory takes, each marked `true`: typed as a full record of the options
 * interface, so adding an option without listing it here fails to compile.
 */
export type KnownOptions<T> = { readonly [K in keyof Required<T>]: true };

/**
 * Throws at start-up for an option the factory does not take, naming it: a misspelt option
 * (`prefx` for `prefix`, `maxAge` for `maxAgeMs`) would otherwise be ignored and leave its
 * default in force without a word.
 *
 * @example
 * refuseUnknownOptions('memoryStore', options, { maxSessions: true, ... });
 */
export function refuseUnknownOptions<T extends object>(
  owner: string,
  options: T,
  known: KnownOptions<T>,
): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${owner}: the options must be an object`);
  }
  for (const key of Object.keys(options)) {
    if (!Object.hasOwn(known, key)) throw new TypeError(`${owner}: \`${key}\` is not an option`);
  }
}
