export { createEmitter, type Emit } from './emit.js';
export type { RejectReason, SessionEvent, SessionEventHandler } from './types.js';
