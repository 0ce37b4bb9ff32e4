import { END_REASONS, type EndReason, SESSION_PROBLEM_CODES, type SessionStatus } from '../wire.js';

// One small validator for everything untrusted (status bodies, problem bodies, cross-tab
// messages): the client cannot afford zod's runtime, and a type test keeps the status
// shape in step with the server's schema.

/** Checks one field of an untrusted value. */
export type Check = (v: unknown) => boolean;
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
export const epoch: Check = (v) => Number.isSafeInteger(v) && (v as number) >= 0;
export const bool: Check = (v) => typeof v === 'boolean';
export const oneOf =
  (...values: readonly unknown[]): Check =>
  (v) =>
    values.includes(v);
export const endReason = oneOf(...END_REASONS);
/** Public user claims: a plain object or `null`. */
export const user: Check = (v) => v === null || isObject(v);

/** True when `v` is a plain object and every field named in `shape` passes its check. */
export function matches(v: unknown, shape: Record<string, Check>): v is Json {
  return isObject(v) && Object.entries(shape).every(([key, check]) => check(v[key]));
}

const common = { now: epoch, idleTimeoutMs: epoch, canReauth: bool };
const ACTIVE = {
  ...common,
  state: oneOf('active'),
  idleExpiresAt: epoch,
  absoluteExpiresAt: epoch,
  user,
};
const NONE = { ...common, state: oneOf('none'), reason: endReason };

/** Validates a `/status` body; `null` when anything is off. */
export function parseStatus(body: unknown): SessionStatus | null {
  return matches(body, ACTIVE) || matches(body, NONE) ? (body as unknown as SessionStatus) : null;
}

/**
 * The end reason a problem body gives when it means "no usable session" (a silent re-auth
 * may help); `null` for any other body.
 */
export function sessionProblemReason(body: unknown): EndReason | null {
  if (!isObject(body) || !SESSION_PROBLEM_CODES.includes(body.code as string)) return null;
  if (endReason(body.reason)) return body.reason as EndReason;
  if (body.code === 'session_revoked') return 'revoked';
  return body.code === 'session_expired' ? 'idle-timeout' : 'missing';
}
