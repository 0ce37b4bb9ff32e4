import { END_REASONS, type EndReason, SESSION_PROBLEM_CODES, type SessionStatus } from '../wire.js';
import type { TabMessage } from './types.js';

// One small validator for everything untrusted (status bodies, problem bodies, cross-tab
// messages): the client cannot afford zod's runtime, and a type test keeps the status
// shape in step with the server's schema.

/** Checks one field of an untrusted value. */
type Check = (v: unknown) => boolean;
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const epoch: Check = (v) => Number.isSafeInteger(v) && (v as number) >= 0;
const bool: Check = (v) => typeof v === 'boolean';
const oneOf =
  (...values: readonly unknown[]): Check =>
  (v) =>
    values.includes(v);
const endReason = oneOf(...END_REASONS);
/** Public user claims: a plain object or `null`. */
const user: Check = (v) => v === null || isObject(v);

/** True when `v` is a plain object and every field named in `shape` passes its check. */
const matches = (v: unknown, shape: Record<string, Check>): v is Json =>
  isObject(v) && Object.entries(shape).every(([key, check]) => check(v[key]));

const common = { now: epoch, idleTimeoutMs: epoch, canReauth: bool };
const STATUS_SHAPES = [
  {
    ...common,
    state: oneOf('active'),
    idleExpiresAt: epoch,
    absoluteExpiresAt: epoch,
    user,
  },
  { ...common, state: oneOf('none'), reason: endReason },
];

/** Validates a `/status` body; `null` when anything is off. */
export const parseStatus = (body: unknown): SessionStatus | null =>
  STATUS_SHAPES.some((shape) => matches(body, shape)) ? (body as SessionStatus) : null;

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

const trigger = oneOf('activity', 'user', 'timer', 'wake', 'status', 'response', 'local');
const head = { v: oneOf(1), from: (v: unknown) => typeof v === 'string' && v.length <= 100 };
const MESSAGE_SHAPES = [
  { ...head, kind: oneOf('activity'), at: epoch },
  {
    ...head,
    kind: oneOf('ended'),
    phase: oneOf('expired', 'signed-out'),
    reason: endReason,
    absolute: (v: unknown) => v === null || epoch(v),
    trigger,
  },
  {
    ...head,
    kind: oneOf('deadlines'),
    idle: epoch,
    absolute: epoch,
    offset: Number.isFinite,
    canReauth: bool,
    user,
    extended: bool,
    reauthenticated: bool,
    trigger,
  },
];

/**
 * Validates a message from another tab. Anything that is not a well-formed version-1
 * message (garbage, another version of the SDK) yields `null` and is ignored.
 */
export const parseTabMessage = (m: unknown): TabMessage | null =>
  MESSAGE_SHAPES.some((shape) => matches(m, shape)) ? (m as TabMessage) : null;
