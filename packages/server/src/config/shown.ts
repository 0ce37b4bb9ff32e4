/**
 * A refused value as a start-up error message shows it (as the browser SDK's options do).
 * An object shows as its type and a symbol by its description: interpolating either with
 * `${value}` can throw (no prototype, a throwing `toString`, any symbol), which would
 * replace the message with one naming no option.
 */
export const shown = (value: unknown): string =>
  Object(value) === value ? typeof value : typeof value === 'bigint' ? `${value}n` : String(value);
