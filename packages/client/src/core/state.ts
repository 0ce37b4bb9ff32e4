import type { SessionLimit, SessionSnapshot } from '../types.js';
import type { CoreConfig, CoreState } from './types.js';

const NEVER = Number.NEGATIVE_INFINITY;

/** The state a client starts in: nothing known, a `/status` check due at once. */
export const initialState = (config: CoreConfig): CoreState => ({
  config,
  phase: 'unknown',
  deadlines: null,
  idleTimeout: Number.POSITIVE_INFINITY,
  offset: 0,
  rtt: Number.POSITIVE_INFINITY,
  sampleAt: NEVER,
  dlSentAt: NEVER,
  endedAt: NEVER,
  sessionAt: NEVER,
  learnedAt: NEVER,
  activeAt: NEVER,
  extendAt: NEVER,
  extendBy: 'activity',
  toldAt: NEVER,
  heardAt: NEVER,
  pollAt: NEVER,
  pastAt: NEVER,
  fails: 0,
  isLeader: false,
  warning: null,
  reason: null,
  canReauth: false,
  user: null,
});

/** This tab's clock reading of the nearer deadline, and which limit it is; `null` when none. */
export const nearestDeadline = (s: CoreState): { at: number; limit: SessionLimit } | null => {
  const d = s.deadlines;
  return (
    d && {
      at: Math.min(d.idle, d.absolute) - s.offset,
      limit: d.idle < d.absolute ? 'idle' : 'absolute',
    }
  );
};

/**
 * Derives the public snapshot, reusing `prev` when nothing a reader sees has changed
 * (everything but `remaining`, compared by value), so `getSnapshot()` is stable between
 * changes.
 */
export const toSnapshot = (s: CoreState, now: number, prev?: SessionSnapshot): SessionSnapshot => {
  const d = s.deadlines;
  const deadline = nearestDeadline(s);
  // `warning` is only ever set while active (the reducer clears it otherwise).
  const next: SessionSnapshot = {
    state: s.warning ? 'warning' : s.phase,
    idleExpiresAt: d && d.idle - s.offset,
    absoluteExpiresAt: d && d.absolute - s.offset,
    remaining: deadline ? Math.max(0, deadline.at - now) : 0,
    warning: s.warning,
    isLeader: s.isLeader,
    lastReason: s.reason,
    canReauth: s.canReauth,
    user: s.user,
    tabId: s.config.tabId,
  };
  // Compared as JSON: every `/status` answer brings the same user in a new object.
  const seen = (snapshot: SessionSnapshot) => JSON.stringify({ ...snapshot, remaining: 0 });
  return prev && seen(prev) === seen(next) ? prev : Object.freeze(next);
};
