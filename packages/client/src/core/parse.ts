import type {
  ActiveStatus,
  NoneStatus,
  PublicUser,
  SessionStatus,
} from '@lifeline/server/contract';
import {
  END_REASONS,
  type EndReason,
  PROBLEM_CODES,
  type ProblemCode,
  SESSION_PROBLEM_CODES,
} from '@lifeline/server/contract';

// Hand-written checks mirroring the server's zod schemas: the client cannot afford zod's
// runtime, and a type test keeps these in step with `SessionStatus`.

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isEpoch = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/** True for a known end reason. */
export function isEndReason(v: unknown): v is EndReason {
  return (END_REASONS as readonly unknown[]).includes(v);
}

/** Public user claims: a plain object or `null`. */
export function parseUser(v: unknown): PublicUser | undefined {
  if (v === null) return null;
  return isObject(v) ? (v as NonNullable<PublicUser>) : undefined;
}

/** Validates a `/status` body; `null` when anything is off. */
export function parseStatus(body: unknown): SessionStatus | null {
  if (!isObject(body) || !isEpoch(body.now) || !isEpoch(body.idleTimeoutMs)) return null;
  if (typeof body.canReauth !== 'boolean') return null;
  const base = { now: body.now, idleTimeoutMs: body.idleTimeoutMs, canReauth: body.canReauth };
  if (body.state === 'none') {
    if (!isEndReason(body.reason)) return null;
    const none: NoneStatus = { state: 'none', reason: body.reason, ...base };
    return none;
  }
  if (body.state !== 'active' || !isEpoch(body.idleExpiresAt) || !isEpoch(body.absoluteExpiresAt)) {
    return null;
  }
  const user = parseUser(body.user);
  if (user === undefined) return null;
  const active: ActiveStatus = {
    state: 'active',
    ...base,
    idleExpiresAt: body.idleExpiresAt,
    absoluteExpiresAt: body.absoluteExpiresAt,
    user,
  };
  return active;
}

/** The session-relevant part of a problem body: its code and, when given, the end reason. */
export interface SessionProblem {
  code: ProblemCode;
  reason: EndReason | null;
}

/** Reads a problem body; `null` unless it carries a known `code`. */
export function parseProblem(body: unknown): SessionProblem | null {
  if (!isObject(body) || !(PROBLEM_CODES as readonly unknown[]).includes(body.code)) return null;
  return { code: body.code as ProblemCode, reason: isEndReason(body.reason) ? body.reason : null };
}

/** True when a problem means "no usable session" (a silent re-auth may help). */
export function isSessionProblem(p: SessionProblem | null): p is SessionProblem {
  return p !== null && SESSION_PROBLEM_CODES.includes(p.code);
}
