/** Why a presented cookie did not resolve to a live session. */
export type RejectReason =
  /** Not a well-formed token (length, alphabet, quotes, control characters). */
  | 'malformed'
  /** The cookie name appeared more than once in the `Cookie` header. */
  | 'duplicate'
  /** Well-formed, but no session has that ID: a stale cookie, or guessing if frequent. */
  | 'unknown'
  /** The family is known but the secret is an older generation: suspected theft. */
  | 'theft-suspected'
  /** The `User-Agent` differs from the one the session started with (`bindUserAgent`). */
  | 'user-agent-changed';

interface EventBase {
  /** Server time of the event, epoch ms. */
  at: number;
  /** The store key (a hash), never the cookie token. `null` when no session was resolved. */
  sid: string | null;
  userId: string | null;
}

/**
 * A lifecycle event for audit logs. Carries hashed ids only, never a token.
 *
 * - `created`: a new session (lazy creation or `regenerate()`; `previousSid` for the latter).
 * - `rotated`: periodic rotation issued a successor token (same `sid`).
 * - `extended`: an explicit `extend()` moved the idle deadline (throttled touches are silent).
 * - `expired`: a request found the idle or absolute deadline passed and ended the session.
 * - `revoked`: ended by the manager, theft detection, a session limit or a user-agent change.
 * - `destroyed`: ended by `destroy()` (logout).
 * - `reauthenticated`: a `regenerate({ cause: 'reauth' })` after silent re-authentication;
 *   `previousSid` equal to `sid` when a re-auth was answered with the session another tab's
 *   re-auth made just before (see `Session.reauthenticate()`).
 * - `rejected`: a presented cookie was refused, with the reason.
 */
export type SessionEvent =
  | (EventBase & { type: 'created'; previousSid: string | null })
  | (EventBase & { type: 'rotated' })
  | (EventBase & { type: 'extended'; idleExpiresAt: number })
  | (EventBase & { type: 'expired'; reason: 'idle-timeout' | 'absolute-timeout' })
  | (EventBase & { type: 'revoked'; detail: string })
  | (EventBase & { type: 'destroyed'; reason: 'logged-out' | 'revoked' })
  | (EventBase & { type: 'reauthenticated'; previousSid: string | null })
  | (EventBase & { type: 'rejected'; reason: RejectReason });

/** The audit hook. May be async; its errors are swallowed so auditing can never break a request. */
export type SessionEventHandler = (event: SessionEvent) => void | Promise<void>;
