/** Why a cookie name option with a prefix is refused. */
export const PREFIXED = 'must not start with __Host- or __Secure-: the prefix is added on HTTPS';

/**
 * Whether a cookie name option leaves the prefix to the package, which adds `__Host-` on
 * HTTPS: given one, the name would be doubled there, and on plain HTTP browsers refuse a
 * prefixed cookie without `Secure`, so sessions would never stick (checked without regard
 * to case, as browsers now do).
 */
export const unprefixed = (name: string): boolean => !/^__(host|secure)-/i.test(name);

/** The renewal receipt's name for a session cookie named `name` (before any `__Host-`). */
export const receiptName = (name: string): string => `${name}-renewed`;
