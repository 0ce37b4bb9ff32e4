import type { EndReason, ProblemCode } from '../contract/protocol.js';
import { PROBLEM_CONTENT_TYPE } from '../contract/protocol.js';
import type { Problem } from '../contract/schemas.js';

const STATUS: Record<ProblemCode, number> = {
  session_expired: 401,
  session_revoked: 401,
  session_required: 401,
  reauth_required: 401,
  reauth_failed: 401,
  csrf_rejected: 403,
  invalid_request: 400,
  store_unavailable: 503,
  session_limit: 409,
  client_script_unavailable: 503,
  internal_error: 500,
  session_renewed: 409,
  session_switched: 409,
};

const TITLE: Record<ProblemCode, string> = {
  session_expired: 'Your session has expired',
  session_revoked: 'Your session was ended',
  session_required: 'You need to sign in',
  reauth_required: 'Please confirm it is you',
  reauth_failed: 'Could not sign you in again',
  csrf_rejected: 'Cross-site request refused',
  invalid_request: 'Invalid request',
  store_unavailable: 'Sessions are temporarily unavailable',
  session_limit: 'Too many active sessions',
  client_script_unavailable: 'The session script is temporarily unavailable',
  internal_error: 'Something went wrong on our side',
  session_renewed: 'Your session was just renewed',
  session_switched: 'Someone else signed in on this browser',
};

/** Options of {@link problemResponse}. */
export interface ProblemOptions {
  /** Human-readable detail; never contains tokens or secrets. */
  detail?: string;
  /** Why the session ended, for the session codes. */
  reason?: EndReason;
  /** Overrides the code's default status, e.g. 405 or 415 for `invalid_request`. */
  status?: number;
  /** Extra response headers (e.g. `Allow`, `Retry-After`). */
  headers?: Record<string, string>;
  /**
   * The app's handler ran before the refusal (`handled: true` in the body): whatever else it
   * did may have happened, so a client must not repeat the request on its own unless its
   * method is idempotent (RFC 9110, 9.2.2).
   */
  handled?: boolean;
}

/** The RFC 9457 body for a code; a code outside `PROBLEM_CODES` throws a `TypeError`. */
export function problemBody(code: ProblemCode, options: ProblemOptions = {}): Problem {
  // A misspelt code from JavaScript would find no status and answer 200 OK: an error the
  // client reads as a success.
  if (typeof code !== 'string' || !Object.hasOwn(STATUS, code)) {
    const shown = typeof code === 'string' ? JSON.stringify(code) : typeof code;
    throw new TypeError(`problemResponse: unknown problem code ${shown} (see PROBLEM_CODES)`);
  }
  const body: Problem = {
    type: `urn:lifeline:problem:${code}`,
    title: TITLE[code],
    status: options.status ?? STATUS[code],
    code,
  };
  if (options.detail !== undefined) body.detail = options.detail;
  if (options.reason !== undefined) body.reason = options.reason;
  if (options.handled) body.handled = true;
  return body;
}

/**
 * An `application/problem+json` response with a stable `code`, never cached.
 *
 * @example
 * return problemResponse('session_required');
 */
export function problemResponse(code: ProblemCode, options: ProblemOptions = {}): Response {
  const body = problemBody(code, options);
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: {
      'Content-Type': PROBLEM_CONTENT_TYPE,
      'Cache-Control': 'no-store',
      ...options.headers,
    },
  });
}

/**
 * The 401 for a request without a live session, its code telling the SDK why: expired
 * (`idle-timeout`, `absolute-timeout`), ended (`revoked`, `logged-out`), or none at all.
 */
export function noSessionResponse(reason: EndReason | null, handled?: boolean): Response {
  switch (reason) {
    case 'idle-timeout':
    case 'absolute-timeout':
      return problemResponse('session_expired', { reason, handled });
    case 'revoked':
    case 'logged-out':
      return problemResponse('session_revoked', { reason, handled });
    default:
      return problemResponse('session_required', { reason: 'missing', handled });
  }
}

/**
 * The 409 for a cookie whose session this browser renewed in another request (a privilege
 * change, a re-auth): its new cookie is on the way, and the session has not ended. Before
 * the handler ran, the request is worth repeating; after (`handled`), its session write was
 * dropped but its other effects may have happened, so only the app can tell.
 */
export function renewedResponse(handled?: boolean): Response {
  return problemResponse('session_renewed', {
    detail: handled
      ? 'Another request renewed the session while this one ran: its session changes were not saved.'
      : 'Another request renewed the session; repeat this one with the new cookie.',
    handled,
  });
}

/**
 * The 409 for a cookie whose session a sign-in as another user on this browser ended
 * while the request was on its way (or, `handled`, while it ran). Not a session 401: the
 * SDK would re-authenticate or repeat it, and by then the browser's cookie is the other
 * user's, so the request would run again as them. It goes back to the app instead.
 */
export function switchedResponse(handled?: boolean): Response {
  return problemResponse('session_switched', {
    detail: handled
      ? 'Someone else signed in on this browser while this request ran: its session changes were not saved.'
      : 'Someone else signed in on this browser after this request was sent; it was not run for them.',
    handled,
  });
}
