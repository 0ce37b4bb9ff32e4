export type { ResolvedOptions, SessionOptions, TheftResponse } from './options.js';
export { resolveOptions, SessionOptionsError } from './validate.js';
