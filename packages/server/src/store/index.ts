export * from './memory/index.js';
export type * from './types.js';
