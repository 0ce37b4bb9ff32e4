export { StoreUnavailableError } from './guard-store.js';
export { session } from './middleware.js';
export { markPassiveRoute, passive } from './passive.js';
export { SessionEndedError } from './regenerate.js';
export { SessionLimitError } from './session-limit.js';
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
