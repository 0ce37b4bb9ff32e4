/**
 * The wire protocol as the client sees it: a zod-free copy of the parts of the server
 * package's contract the client uses. The server package is only a devDependency, so the
 * published types must stand alone; `contract.test.ts` asserts that
 * these types equal the server's zod-inferred ones (both directions) and that the
 * constants are the server's.
 */

/** Response header carrying the live session's deadlines: `idle=<ms>, absolute=<ms>, now=<ms>`. */
export const DEADLINE_HEADER = 'Session-Deadline';
/** Request header marking a request as passive: it never extends the idle deadline. */
export const PASSIVE_HEADER = 'Session-Passive';
/** Request header that makes a state-changing request non-simple in CORS terms. */
export const CSRF_HEADER = 'Session-Request';

/** Problem codes that mean "this request has no usable session". */
export const SESSION_PROBLEM_CODES = ['session_expired', 'session_revoked', 'session_required'];

/** Why there is no session (`state: "none"`). */
export const END_REASONS = [
  'missing',
  'idle-timeout',
  'absolute-timeout',
  'revoked',
  'logged-out',
] as const;
export type EndReason = (typeof END_REASONS)[number];

/** Any JSON value. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Public claims about the user that the app chooses to expose; `null` when none. */
export type PublicUser = Record<string, Json> | null;

/** Status body of a live session. */
export interface ActiveStatus {
  state: 'active';
  now: number;
  idleExpiresAt: number;
  absoluteExpiresAt: number;
  idleTimeoutMs: number;
  canReauth: boolean;
  user: PublicUser;
}

/** Status body when there is no session, with the reason it ended (or `missing`). */
export interface NoneStatus {
  state: 'none';
  reason: EndReason;
  now: number;
  idleTimeoutMs: number;
  canReauth: boolean;
}

/** The `/status` (and `/extend`, `/reauth`, `/logout`) body. */
export type SessionStatus = ActiveStatus | NoneStatus;

/** The three instants a `Session-Deadline` header carries, epoch milliseconds. */
export interface DeadlineHeader {
  idle: number;
  absolute: number;
  now: number;
}

/** Formats the `Session-Deadline` header value (the test kit's fake server sends it). */
export const formatDeadlineHeader = (d: DeadlineHeader): string => {
  return `idle=${d.idle}, absolute=${d.absolute}, now=${d.now}`;
};

/** Parses a `Session-Deadline` header value; `null` when any part is missing or malformed. */
export const parseDeadlineHeader = (value: string | null): DeadlineHeader | null => {
  const d: Record<string, number> = {};
  const parts = value && value.length <= 200 ? value.split(',') : [];
  for (const part of parts) {
    const m = /^\s*(idle|absolute|now)=(\d{1,16})\s*$/.exec(part);
    if (!m) return null;
    d[m[1] as string] = Number(m[2]);
  }
  // The pattern admits only these three names: three parts with three distinct ones are
  // exactly these, each once (a header sent twice, which `get` joins, is not).
  return parts.length === 3 && Object.keys(d).length === 3
    ? (d as unknown as DeadlineHeader)
    : null;
};
