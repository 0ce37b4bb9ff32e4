export { type BodyResult, MAX_BODY_BYTES, type ReadJsonOptions, readJsonBody } from './body.js';
export type { ClientScriptSource } from './client-script.js';
export { type SessionRoutesOptions, sessionRoutes } from './routes.js';
