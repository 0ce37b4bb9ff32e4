/**
 * The client without the default cross-tab channel: pass `channel` yourself (or none, for
 * a single tab). This is what the core size budget measures.
 */
export { SessionExpiredError } from './errors.js';
export { createClientCore } from './shell/client.js';
export type * from './types.js';
