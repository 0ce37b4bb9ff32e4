import { END_REASONS, type EndReason, SESSION_PROBLEM_CODES, type SessionStatus } from '../wire.js';
import type { TabMessage } from './types.js';

// One small validator for everything untrusted (status bodies, problem bodies, cross-tab
// messages): the client cannot afford zod's runtime, and a type test keeps the status
// shape in step with the server's schema.

/**
 * What one field of an untrusted value must be: a check (passed when it returns something
 * truthy, such as a parsed value), or the list of allowed values.
 */
type Rule = ((v: unknown, of: Json) => unknown) | readonly unknown[];
type Json = Record<string, unknown>;

// An object (a function is not JSON and cannot cross a channel), but not an array.
const isObject = (v: unknown): v is Json => Object(v) === v && !Array.isArray(v);
const epoch = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;

/** True when `v` is a plain object and every field named in `shape` follows its rule. */
const matches = (v: unknown, shape: Record<string, Rule>): v is Json =>
  isObject(v) &&
  Object.entries(shape).every(([key, rule]) =>
    typeof rule === 'function' ? rule(v[key], v) : rule.includes(v[key]),
  );

/**
 * Whether a live session's deadlines are ones a server can send: both ahead of its `now`,
 * the idle one first, the absolute one at most 400 days (the server's limit) ahead. Others
 * (a server bug, a garbage `now`) would be asked about again at once, in a loop, or stop
 * the keepalive, or move this tab's clock by decades.
 */
export const liveDeadlines = (now: number, idle: number, absolute: number) =>
  now < idle && idle <= absolute && absolute - now < 4e10;

const common = { now: epoch, idleTimeoutMs: epoch, canReauth: [true, false] };
const STATUS_SHAPES = [
  {
    ...common,
    state: ['active'],
    idleExpiresAt: epoch,
    absoluteExpiresAt: (v: unknown, of: Json) =>
      epoch(v) && liveDeadlines(of.now as number, of.idleExpiresAt as number, v as number),
    // Public user claims: `null`, or an object JSON can write. A cross-tab copy can hold a
    // BigInt or a cycle, on which the snapshot comparison (as JSON) would throw.
    user: (v: unknown) => {
      try {
        return v === null || (isObject(v) && JSON.stringify(v));
      } catch {}
    },
  },
  { ...common, state: ['none'], reason: END_REASONS },
];

/** Validates a `/status` body; `null` when anything is off. */
export const parseStatus = (body: unknown): SessionStatus | null =>
  STATUS_SHAPES.some((shape) => matches(body, shape)) ? (body as SessionStatus) : null;

/**
 * The end reason a problem body gives when it means "no usable session" (a silent re-auth
 * may help); `null` for any other body.
 */
export const sessionProblemReason = (body: unknown): EndReason | null => {
  if (!isObject(body)) return null;
  // The reason each problem code stands for when the body names none, in the order of
  // SESSION_PROBLEM_CODES (expired, revoked, required).
  const byCode = (['idle-timeout', 'revoked', 'missing'] as const)[
    SESSION_PROBLEM_CODES.indexOf(body.code as string)
  ];
  if (!byCode) return null;
  return END_REASONS.includes(body.reason as EndReason) ? (body.reason as EndReason) : byCode;
};

const head = {
  v: [2],
  from: (v: unknown) => typeof v === 'string',
  trigger: ['activity', 'user', 'timer', 'wake', 'status', 'response', 'local'],
};
const sent = { ...head, sentAt: epoch };
// The answers a tab passes on: those that moved the deadlines, and endings (as `status`).
const answer = { ...sent, type: ['answer'], op: ['status', 'extend', 'reauth'] };
const MESSAGE_SHAPES = [
  { ...sent, type: ['activity', 'reauth-failed'] },
  { ...answer, reason: END_REASONS },
  {
    ...answer,
    status: parseStatus,
    receivedAt: epoch,
  },
  { ...sent, type: ['header'], idle: epoch, absolute: epoch, now: epoch, receivedAt: epoch },
];

/**
 * Validates a message from another tab. Anything that is not a well-formed version-2
 * message (garbage, another version of the SDK) yields `null` and is ignored.
 */
export const parseTabMessage = (m: unknown): TabMessage | null => {
  const message = MESSAGE_SHAPES.some((shape) => matches(m, shape)) ? (m as TabMessage) : null;
  // The core reads a status body wherever a `status` field is: an ending must carry none.
  return message && 'reason' in message && 'status' in message ? null : message;
};
