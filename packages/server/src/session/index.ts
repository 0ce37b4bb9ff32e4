export { StoreUnavailableError } from './guard-store.js';
export { session } from './middleware.js';
export { markPassiveRoute, passive } from './passive.js';
export { SessionLimitError } from './regenerate.js';
export { sessionStatus } from './status.js';
export type {
  ReauthProof,
  ReauthStrategy,
  RegenerateOptions,
  Session,
  SessionData,
  SessionDeadlines,
  SessionEnv,
  SessionManager,
  SessionMiddleware,
  SessionSummary,
} from './types.js';
