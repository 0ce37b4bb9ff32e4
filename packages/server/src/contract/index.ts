export * from './protocol.js';
export * from './schemas.js';
