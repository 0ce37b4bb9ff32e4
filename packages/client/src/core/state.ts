import type { SessionLimit, SessionTrigger } from '../types.js';
import type { EndReason } from '../wire.js';
import type { ClockOffset, CoreConfig, CoreState, Effect, TabMessage } from './types.js';

/** The state a client starts in: nothing known, a `/status` check due at once. */
export function initialState(config: CoreConfig): CoreState {
  return {
    config,
    phase: 'unknown',
    deadlines: null,
    idleTimeoutMs: 0,
    offset: null,
    deadlinesSentAt: -Infinity,
    endedAt: -Infinity,
    endedAbsolute: null,
    lastActivityAt: -Infinity,
    lastExtendAt: -Infinity,
    extendBy: 'activity',
    activityPostedAt: -Infinity,
    inFlight: null,
    checking: false,
    statusDueAt: -Infinity,
    failures: 0,
    retry: null,
    isLeader: false,
    warning: null,
    reason: null,
    canReauth: false,
    user: null,
  };
}

/** This tab's clock reading of the nearer deadline, and which limit it is. */
export function nearestDeadline(s: CoreState): { at: number; limit: SessionLimit } | null {
  if (!s.deadlines) return null;
  const offset = s.offset?.value ?? 0;
  const idle = s.deadlines.idle - offset;
  const absolute = s.deadlines.absolute - offset;
  return idle < absolute ? { at: idle, limit: 'idle' } : { at: absolute, limit: 'absolute' };
}

/** Which limit an end reason is about. */
export function limitOf(reason: EndReason): SessionLimit | null {
  if (reason === 'idle-timeout') return 'idle';
  if (reason === 'absolute-timeout') return 'absolute';
  return null;
}

/** Who acted, for events. */
export interface Origin {
  readonly tabId: string;
  readonly local: boolean;
  readonly trigger: SessionTrigger;
}

/**
 * Ends the session view: `logged-out` (and `missing` before anything was live) is a sign-out,
 * anything else an expiry. Emits once, tells other tabs when this tab found out first.
 */
export function endSession(
  s: CoreState,
  reason: EndReason,
  origin: Origin,
  now: number,
  effects: Effect[],
): CoreState {
  const phase =
    reason === 'logged-out' || (reason === 'missing' && s.phase !== 'live')
      ? 'signed-out'
      : 'expired';
  if (s.phase === phase && s.reason === reason) return s;
  const base = { v: 1, from: s.config.tabId } as const;
  if (phase === 'expired') {
    effects.push({
      type: 'emit',
      event: { type: 'expired', reason, limit: limitOf(reason), ...origin },
    });
  } else if (s.phase !== 'unknown' || reason === 'logged-out') {
    effects.push({ type: 'emit', event: { type: 'signed-out', reason, ...origin } });
  }
  if (origin.local) {
    const message: TabMessage = { ...base, kind: 'ended', phase, reason, trigger: origin.trigger };
    effects.push({ type: 'post', message });
  }
  return {
    ...s,
    phase,
    reason,
    deadlines: null,
    warning: null,
    checking: false,
    endedAt: now,
    endedAbsolute: s.deadlines?.absolute ?? s.endedAbsolute,
    retry: s.retry?.op === 'logout' ? s.retry : null,
  };
}

/** Adopts an offset another tab shares when this tab has none of its own yet. */
export function borrowOffset(own: ClockOffset | null, value: number, now: number): ClockOffset {
  return own ?? { value, rtt: Number.MAX_SAFE_INTEGER, at: now };
}
