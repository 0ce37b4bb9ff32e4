import type { SessionEvent, SessionLimit, SessionTrigger } from '../types.js';
import type { EndReason } from '../wire.js';
import type { CoreConfig, CoreState, Effect, TabMessage } from './types.js';

/** The state a client starts in: nothing known, a `/status` check due at once. */
export function initialState(config: CoreConfig): CoreState {
  const never = Number.NEGATIVE_INFINITY;
  return {
    config,
    phase: 'unknown',
    deadlines: null,
    idleTimeoutMs: 0,
    offset: null,
    deadlinesSentAt: never,
    endedAt: never,
    endedAbsolute: null,
    sessionSince: never,
    lastActivityAt: never,
    lastExtendAt: never,
    extendBy: 'activity',
    activityPostedAt: never,
    inFlight: null,
    checking: false,
    statusDueAt: never,
    failures: 0,
    retry: null,
    isLeader: false,
    warning: null,
    reason: null,
    canReauth: false,
    user: null,
  };
}

/** Server clock minus this tab's clock, as far as known. */
export const offsetOf = (s: CoreState): number => s.offset?.value ?? 0;

/** This tab's clock reading of the nearer deadline, and which limit it is. */
export function nearestDeadline(s: CoreState): { at: number; limit: SessionLimit } | null {
  if (!s.deadlines) return null;
  const { idle, absolute } = s.deadlines;
  const limit = idle < absolute ? 'idle' : 'absolute';
  return { at: Math.min(idle, absolute) - offsetOf(s), limit };
}

/** Who acted, for events. */
export interface Origin {
  readonly tabId: string;
  readonly local: boolean;
  readonly trigger: SessionTrigger;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
/** Event fields other than the ones every event carries. */
type Details<E = SessionEvent> = E extends SessionEvent ? Omit<E, keyof Origin> : never;
/** A cross-tab message without the fields every message carries. */
type Body<M = TabMessage> = M extends TabMessage ? Omit<M, 'v' | 'from'> : never;

/**
 * One reducer step: a private copy of the state that the step's handlers change in place
 * (nobody else sees it until the step returns), and the effects it produced.
 */
export interface Draft {
  readonly s: Mutable<CoreState>;
  readonly now: number;
  readonly effects: Effect[];
  /** This tab acting, for events. */
  own(trigger: SessionTrigger): Origin;
  emit(event: Details, origin: Origin): void;
  post(message: Body): void;
  request(op: CoreState['inFlight'] & string): void;
}

export function draft(state: CoreState, now: number): Draft {
  const s = { ...state };
  const effects: Effect[] = [];
  const tabId = s.config.tabId;
  return {
    s,
    now,
    effects,
    own: (trigger) => ({ tabId, local: true, trigger }),
    emit: (event, origin) => effects.push({ type: 'emit', event: { ...event, ...origin } }),
    post: (message) =>
      effects.push({ type: 'post', message: { v: 1, from: tabId, ...message } as TabMessage }),
    request(op) {
      effects.push({ type: 'request', op });
      s.inFlight = op;
      if (s.retry?.op === op) s.retry = null;
    },
  };
}

/**
 * Ends the session view: `logged-out` (and `missing` before anything was live) is a sign-out,
 * anything else an expiry. Emits once, tells other tabs when this tab found out first.
 */
export function endSession(d: Draft, reason: EndReason, origin: Origin): void {
  const { s } = d;
  const phase =
    reason === 'logged-out' || (reason === 'missing' && s.phase !== 'live')
      ? 'signed-out'
      : 'expired';
  if (s.phase === phase && s.reason === reason) return;
  if (phase === 'expired') {
    const limit =
      reason === 'idle-timeout' ? 'idle' : reason === 'absolute-timeout' ? 'absolute' : null;
    d.emit({ type: 'expired', reason, limit }, origin);
  } else if (s.phase !== 'unknown' || reason === 'logged-out') {
    d.emit({ type: 'signed-out', reason }, origin);
  }
  const absolute = s.deadlines?.absolute ?? null;
  if (origin.local) d.post({ kind: 'ended', phase, reason, absolute, trigger: origin.trigger });
  s.endedAbsolute = s.deadlines?.absolute ?? s.endedAbsolute;
  Object.assign(s, {
    phase,
    reason,
    deadlines: null,
    warning: null,
    checking: false,
    endedAt: d.now,
  });
  if (s.retry?.op !== 'logout') s.retry = null;
}
