export { type SessionOptions, SessionOptionsError, type TheftResponse } from './config/index.js';
export * from './contract/index.js';
export { type CsrfGuardOptions, csrfGuard } from './csrf/index.js';
export type { RejectReason, SessionEvent, SessionEventHandler } from './events/index.js';
export { type ProblemOptions, problemBody, problemResponse } from './problem/index.js';
export {
  type RememberEvent,
  type RememberMe,
  type RememberMeOptions,
  rememberMe,
} from './remember/index.js';
export { type RequireSessionOptions, requireSession } from './require/index.js';
export {
  type BodyResult,
  type ClientScriptSource,
  MAX_BODY_BYTES,
  type ReadJsonOptions,
  readJsonBody,
  type SessionRoutesOptions,
  sessionRoutes,
} from './routes/index.js';
export {
  markPassiveRoute,
  passive,
  type ReauthProof,
  type ReauthStrategy,
  type RegenerateOptions,
  type Session,
  type SessionData,
  type SessionDeadlines,
  SessionEndedError,
  type SessionEnv,
  SessionLimitError,
  type SessionManager,
  type SessionMiddleware,
  type SessionSummary,
  StoreUnavailableError,
  session,
  sessionStatus,
} from './session/index.js';
export * from './store/index.js';
