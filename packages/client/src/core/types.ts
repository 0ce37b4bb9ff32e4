import type { SessionEvent, SessionLimit, SessionTrigger } from '../types.js';
import type { EndReason, PublicUser, SessionStatus } from '../wire.js';

/** A live session's deadlines in the SERVER's clock; local deadlines are these minus the offset. */
export interface ServerDeadlines {
  readonly idle: number;
  readonly absolute: number;
}

/** Settings the reducer needs; fixed for the life of a client (the resolved options carry them). */
export interface CoreConfig {
  readonly tabId: string;
  readonly warnBefore: number;
  readonly keepaliveInterval: number;
  readonly pollInterval: number;
  readonly requestTimeout: number;
}

export type Operation = 'status' | 'extend' | 'logout';

/**
 * Everything the core knows. Immutable; only `reduce` makes new ones. Times are epoch ms in
 * this tab's clock unless said otherwise. Some names are short because the bundle repeats
 * them; this is the one place that says what each means. The optional fields start out
 * absent (the initial state is shorter without them); absent and `null` both mean none.
 */
export interface CoreState {
  readonly config: CoreConfig;
  /**
   * The public `state` but for `warning` (an `active` session inside the warning window).
   * `active` has deadlines; every other phase has none.
   */
  readonly phase: 'unknown' | 'active' | 'expired' | 'signed-out';
  readonly deadlines: ServerDeadlines | null;
  /** The server's idle timeout; unknown or none is an endless one. */
  readonly idleTimeout: number;
  /**
   * Server clock minus this tab's clock (0 until known), from the clock sample with the
   * smallest round trip `rtt` (∞ until there is one), taken at `sampleAt`.
   */
  readonly offset: number;
  readonly rtt: number;
  readonly sampleAt: number;
  /** Send time of the request that produced `deadlines` (older answers may not replace them). */
  readonly dlSentAt: number;
  /**
   * When the request that last found the session ending was sent (a sign-out: when it was
   * made); answers to requests sent before it are stale.
   */
  readonly endedAt: number;
  /**
   * When this tab learned of the current session (a re-auth here or in another tab, or
   * deadlines of a different session). A "no session" answer to a request sent before it
   * was about the previous session's cookie, which a re-auth kills at once: it must not
   * sign the new session out. Re-auth requests sent before it are covered by it.
   */
  readonly sessionAt: number;
  /**
   * When this tab learned of the deadlines it holds, if they were news of another session
   * than it held (its first ones too): a "no session" answer to a request sent before it may
   * be about an older cookie. This tab's own `/status` answer dates them from its send time.
   */
  readonly learnedAt: number;
  /** The person's last activity here or in another tab. */
  readonly activeAt: number;
  /** The last extension (sent or confirmed); activity after it is still owed one. */
  readonly extendAt: number;
  /** What asked for the extension in flight: the keepalive or the user. */
  readonly extendBy: 'activity' | 'user';
  /** When this follower last told the leader about activity. */
  readonly toldAt: number;
  /** When another follower last told of activity (when it happened). */
  readonly heardAt: number;
  /** The session route being called (one at a time). */
  readonly calling?: Operation | null;
  /**
   * The route that was being called when this tab signed out: its answers sent in the
   * sign-out's millisecond are stale, until a new session is learned.
   */
  readonly voided?: Operation | null;
  /** When this tab first found the current deadline passed (its clock). */
  readonly pastAt: number;
  /** When the next `/status` poll is due (the leader's, or the first one). */
  readonly pollAt: number;
  /** Consecutive failed requests, for the backoff. */
  readonly fails: number;
  readonly retry?: { readonly op: Operation; readonly at: number } | null;
  readonly isLeader: boolean;
  readonly warning: SessionLimit | null;
  readonly reason: EndReason | null;
  /** The absolute deadline (server clock) of the session last signed out of, if any. */
  readonly loggedOut?: number | null;
  /** The absolute deadline (server clock) of the session the logout on its way is meant for. */
  readonly logoutOf?: number | null;
  readonly canReauth: boolean;
  readonly user: PublicUser;
}

/**
 * What came of a session route call, or (`fetch`) of an app request the `fetch` wrapper
 * sent: a status body (a logout may be answered without one), the end reason of a 401
 * session problem, or a failure.
 */
type Answer<Op, Outcome> = {
  readonly type: 'answer';
  readonly op: Op;
  readonly sentAt: number;
} & Outcome;
type StatusAnswer = Answer<
  'status' | 'extend' | 'reauth',
  {
    readonly status: SessionStatus;
    readonly receivedAt: number;
    /**
     * A re-auth's: when the sign-out it followed ended the session (`endedAt`), or `false`
     * when it followed none. An app's re-auth function runs before the `/status` check that
     * answers; a sign-out since the attempt began ends its session too, the one before it
     * (a "switch account") does not.
     */
    readonly seen?: number | false;
  }
>;
type Ending = Answer<Operation | 'fetch', { readonly reason: EndReason }>;
/** A `Session-Deadline` header; `now` is the server's clock. */
interface Header {
  readonly type: 'header';
  readonly idle: number;
  readonly absolute: number;
  readonly now: number;
  readonly sentAt: number;
  readonly receivedAt: number;
}

/**
 * A cross-tab message: news this tab took in (an answer or header that moved the
 * deadlines, an ending, activity), as the action it reduced, for the other tabs to replay.
 * Versioned: anything else on the channel (garbage, another version of the SDK) is ignored.
 */
export type TabMessage = {
  readonly v: 2;
  readonly from: string;
  readonly trigger: SessionTrigger;
} & (
  | StatusAnswer
  /** An ending, whatever found it: the status this tab took it for. */
  | Answer<'status', { readonly reason: EndReason; readonly absolute?: number }>
  | Header
  /** When it happened (`sentAt`): a frozen tab hears it late. */
  | { readonly type: 'activity'; readonly sentAt: number }
  /** A re-auth was refused (the core passes it on; the shell's re-auth reads it). */
  | { readonly type: 'reauth-failed'; readonly sentAt: number }
);

/** Inputs to the core, discriminated on `type`; another tab's news is its message. */
export type Action =
  | Answer<'logout', { readonly status: SessionStatus | null }>
  | StatusAnswer
  | Ending
  | Answer<Operation, { readonly error: unknown }>
  | Header
  | { readonly type: 'activity' }
  | { readonly type: 'tick'; readonly trigger: 'timer' | 'wake' }
  | { readonly type: 'extend' }
  | { readonly type: 'status' }
  | { readonly type: 'logout' }
  | { readonly type: 'leadership'; readonly isLeader: boolean }
  /** This tab's re-auth was refused: the tabs waiting for its lock should not ask again. */
  | { readonly type: 'reauth-failed'; readonly sentAt: number }
  | TabMessage;

/** What the shell must do after a step: start the request, post, emit, then arm the timer. */
export interface Step {
  readonly state: CoreState;
  /** The session route to call; a step starts at most one request. */
  readonly request?: Operation;
  /** What to tell the other tabs; a step has at most one piece of news. */
  readonly post?: TabMessage;
  /** Events to emit, in order. */
  readonly events: readonly SessionEvent[];
  /** When to run the next `tick` (the one timer); `null` for none. */
  readonly wakeAt: number | null;
}
