import type { SessionSnapshot } from '../types.js';
import { nearestDeadline, offsetOf } from './state.js';
import type { CoreState } from './types.js';

/**
 * Derives the public snapshot, reusing `prev` when nothing a reader sees has changed
 * (everything but `remaining`), so `getSnapshot()` is stable between changes.
 */
export function toSnapshot(
  s: CoreState,
  now: number,
  prev: SessionSnapshot | null,
): SessionSnapshot {
  const live = s.phase === 'live';
  const deadline = nearestDeadline(s);
  const local = (at: number | undefined) => (at === undefined ? null : at - offsetOf(s));
  const next: SessionSnapshot = {
    state: live ? (s.warning ? 'warning' : 'active') : s.phase,
    idleExpiresAt: local(s.deadlines?.idle),
    absoluteExpiresAt: local(s.deadlines?.absolute),
    remaining: deadline ? Math.max(0, deadline.at - now) : 0,
    warning: live ? s.warning : null,
    isLeader: s.isLeader,
    lastReason: s.reason,
    canReauth: s.canReauth,
    user: s.user,
    tabId: s.config.tabId,
  };
  const same = (key: string) =>
    key === 'remaining' ||
    prev?.[key as keyof SessionSnapshot] === next[key as keyof SessionSnapshot];
  return prev && Object.keys(next).every(same) ? prev : Object.freeze(next);
}
