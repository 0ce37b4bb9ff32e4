import type { SessionSnapshot } from '../types.js';
import { nearestDeadline } from './state.js';
import type { CoreState } from './types.js';

/**
 * Derives the public snapshot, reusing `prev` when nothing a reader sees has changed, so
 * `getSnapshot()` is stable between changes.
 */
export function toSnapshot(
  s: CoreState,
  now: number,
  prev: SessionSnapshot | null,
): SessionSnapshot {
  const offset = s.offset?.value ?? 0;
  const idleExpiresAt = s.deadlines ? s.deadlines.idle - offset : null;
  const absoluteExpiresAt = s.deadlines ? s.deadlines.absolute - offset : null;
  const live = s.phase === 'live';
  const state = live ? (s.warning ? 'warning' : 'active') : s.phase;
  const deadline = nearestDeadline(s);
  const next: SessionSnapshot = {
    state,
    idleExpiresAt,
    absoluteExpiresAt,
    remaining: deadline ? Math.max(0, deadline.at - now) : 0,
    warning: live ? s.warning : null,
    isLeader: s.isLeader,
    lastReason: s.reason,
    canReauth: s.canReauth,
    user: s.user,
    tabId: s.config.tabId,
  };
  if (
    prev &&
    prev.state === next.state &&
    prev.idleExpiresAt === idleExpiresAt &&
    prev.absoluteExpiresAt === absoluteExpiresAt &&
    prev.warning === next.warning &&
    prev.isLeader === next.isLeader &&
    prev.lastReason === next.lastReason &&
    prev.canReauth === next.canReauth &&
    prev.user === next.user
  ) {
    return prev;
  }
  return Object.freeze(next);
}
