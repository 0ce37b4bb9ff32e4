/**
 * The wire protocol between `@lifeline/server` and `@lifeline/client`: header names,
 * problem codes and reasons. Plain constants with no runtime dependency, so the browser
 * SDK can import them without pulling in zod.
 */

/** Response header carrying the live session's deadlines: `idle=<ms>, absolute=<ms>, now=<ms>`. */
export const DEADLINE_HEADER = 'Session-Deadline';

/**
 * Request header marking a request as passive (background polling): it never extends the
 * idle deadline. The SDK sets it on requests made while the tab is hidden.
 */
export const PASSIVE_HEADER = 'Session-Passive';

/**
 * Request header that makes a state-changing request non-simple in CORS terms, so a
 * cross-site form or `fetch` without a preflight cannot forge it. Value: `1`.
 */
export const CSRF_HEADER = 'Session-Request';

/** Media type of every error body (RFC 9457). */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Stable error codes. The SDK keys its behaviour off these, never off message text. */
export const PROBLEM_CODES = [
  'session_expired',
  'session_revoked',
  'session_required',
  'reauth_required',
  'csrf_rejected',
  'invalid_request',
  'store_unavailable',
  'reauth_failed',
  'session_limit',
  'client_script_unavailable',
  'internal_error',
  'session_renewed',
  'session_switched',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

/** Codes that mean "this request has no usable session": the SDK may try one silent re-auth. */
export const SESSION_PROBLEM_CODES: readonly ProblemCode[] = [
  'session_expired',
  'session_revoked',
  'session_required',
];

/** Why there is no session (`state: "none"`). */
export const END_REASONS = [
  'missing',
  'idle-timeout',
  'absolute-timeout',
  'revoked',
  'logged-out',
] as const;
export type EndReason = (typeof END_REASONS)[number];

/** The three instants a `Session-Deadline` header carries, epoch milliseconds. */
export interface DeadlineHeader {
  idle: number;
  absolute: number;
  now: number;
}

/** Formats the `Session-Deadline` header value. */
export function formatDeadlineHeader(d: DeadlineHeader): string {
  return `idle=${d.idle}, absolute=${d.absolute}, now=${d.now}`;
}

const DEADLINE_PART = /^(idle|absolute|now)=(\d{1,16})$/;

/** Parses a `Session-Deadline` header value; `null` when any part is missing or malformed. */
export function parseDeadlineHeader(value: string | null | undefined): DeadlineHeader | null {
  if (!value || value.length > 200) return null;
  const out: Partial<DeadlineHeader> = {};
  for (const part of value.split(',')) {
    const match = DEADLINE_PART.exec(part.trim());
    const name = match?.[1] as keyof DeadlineHeader | undefined;
    // Each part once: a header sent twice (which `Headers.get` joins) is not one deadline.
    if (!match || !name || name in out) return null;
    out[name] = Number(match[2]);
  }
  const { idle, absolute, now } = out;
  if (idle === undefined || absolute === undefined || now === undefined) return null;
  return { idle, absolute, now };
}
