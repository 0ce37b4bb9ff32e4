import type { SessionEvent, SessionLimit, SessionTrigger } from '../types.js';
import type { EndReason, PublicUser, SessionStatus } from '../wire.js';

/** Server clock minus this tab's clock, from the best round trip seen (smallest `rtt`). */
export interface ClockOffset {
  readonly value: number;
  readonly rtt: number;
  /** Local time the sample was taken. */
  readonly at: number;
}

/** A live session's deadlines in the SERVER's clock; local deadlines are these minus the offset. */
export interface ServerDeadlines {
  readonly idle: number;
  readonly absolute: number;
}

/** Settings the reducer needs; fixed for the life of a client. */
export interface CoreConfig {
  readonly tabId: string;
  readonly warnBefore: number;
  readonly keepaliveInterval: number;
  readonly pollInterval: number;
  /** A follower waits this long past a deadline for the leader's verdict before asking itself. */
  readonly followerGrace: number;
}

export type Operation = 'status' | 'extend' | 'logout';

/** Everything the core knows. Immutable; only `reduce` makes new ones. */
export interface CoreState {
  readonly config: CoreConfig;
  readonly phase: 'unknown' | 'live' | 'expired' | 'signed-out';
  readonly deadlines: ServerDeadlines | null;
  readonly idleTimeoutMs: number;
  readonly offset: ClockOffset | null;
  /** Local send time of the request that produced `deadlines` (older answers may not replace them). */
  readonly deadlinesSentAt: number;
  /** Local time the session was last seen ending; answers to requests sent before it are stale. */
  readonly endedAt: number;
  /** Absolute deadline (server clock) of the session that last ended, to spot late news of it. */
  readonly endedAbsolute: number | null;
  /**
   * Local time this tab learned of the current session (a re-auth, or another tab's news).
   * A "no session" answer to a request sent before it was about the previous session's
   * cookie, which a re-auth kills at once: it must not sign the new session out.
   */
  readonly sessionSince: number;
  readonly lastActivityAt: number;
  /** Local time of the last extension (sent or confirmed); activity after it is still owed one. */
  readonly lastExtendAt: number;
  /** What asked for the extension in flight: the keepalive or the user. */
  readonly extendBy: 'activity' | 'user';
  readonly activityPostedAt: number;
  readonly inFlight: Operation | null;
  readonly checking: boolean;
  readonly statusDueAt: number;
  readonly failures: number;
  readonly retry: { readonly op: Operation; readonly at: number } | null;
  readonly isLeader: boolean;
  readonly warning: SessionLimit | null;
  readonly reason: EndReason | null;
  readonly canReauth: boolean;
  readonly user: PublicUser;
}

/** A cross-tab message, versioned; anything else on the channel is ignored. */
export type TabMessage =
  | {
      readonly v: 1;
      readonly from: string;
      readonly kind: 'deadlines';
      readonly idle: number;
      readonly absolute: number;
      readonly offset: number;
      readonly canReauth: boolean;
      readonly user: PublicUser;
      readonly extended: boolean;
      readonly reauthenticated: boolean;
      readonly trigger: SessionTrigger;
    }
  | { readonly v: 1; readonly from: string; readonly kind: 'activity'; readonly at: number }
  | {
      readonly v: 1;
      readonly from: string;
      readonly kind: 'ended';
      readonly phase: 'expired' | 'signed-out';
      readonly reason: EndReason;
      /** Absolute deadline of the session that ended (`null` if none was known). */
      readonly absolute: number | null;
      readonly trigger: SessionTrigger;
    };

/** Inputs to the core; discriminated on `type`. */
export type Action =
  | {
      readonly type: 'server';
      readonly op: Operation | 'reauth';
      readonly status: SessionStatus;
      readonly sentAt: number;
      readonly receivedAt: number;
    }
  | {
      readonly type: 'header';
      readonly idle: number;
      readonly absolute: number;
      readonly serverNow: number;
      readonly sentAt: number;
      readonly receivedAt: number;
    }
  | { readonly type: 'rejected'; readonly reason: EndReason; readonly sentAt: number }
  | { readonly type: 'failed'; readonly op: Operation; readonly error: unknown }
  | { readonly type: 'activity' }
  | { readonly type: 'tick'; readonly trigger: 'timer' | 'wake' }
  | { readonly type: 'extend' }
  | { readonly type: 'logout' }
  | { readonly type: 'leadership'; readonly isLeader: boolean }
  | { readonly type: 'remote'; readonly message: TabMessage };

/** What the shell must do after a step; discriminated on `type`. */
export type Effect =
  | { readonly type: 'request'; readonly op: Operation }
  | { readonly type: 'arm'; readonly at: number | null }
  | { readonly type: 'post'; readonly message: TabMessage }
  | { readonly type: 'emit'; readonly event: SessionEvent };

export interface Step {
  readonly state: CoreState;
  readonly effects: readonly Effect[];
}
