import type { SessionTrigger } from '../types.js';
import { nearestDeadline } from './state.js';
import type { CoreState, Effect, Operation } from './types.js';

/** Retry delay after `failures` consecutive failures: 1 s doubling to at most a minute. */
export function backoff(failures: number): number {
  return Math.min(1000 * 2 ** Math.max(0, failures - 1), 60_000);
}

/** Keepalive spacing, capped so an active user's extension always lands before the warning. */
export function keepaliveSpacing(s: CoreState): number {
  const { keepaliveInterval, warnBefore } = s.config;
  if (s.idleTimeoutMs <= 0) return keepaliveInterval;
  return Math.min(keepaliveInterval, Math.max(1000, (s.idleTimeoutMs - warnBefore) / 2));
}

function request(s: CoreState, op: Operation, effects: Effect[]): CoreState {
  effects.push({ type: 'request', op });
  return { ...s, inFlight: op, retry: s.retry?.op === op ? null : s.retry };
}

/**
 * Brings the state up to `now`: enters or leaves the warning, schedules keepalive, polls,
 * retries and expiry checks, and arms exactly one timer for the next instant that matters.
 */
export function settle(
  s: CoreState,
  now: number,
  trigger: SessionTrigger,
  effects: Effect[],
): CoreState {
  const wake: number[] = [];
  let next = s;
  const idle = next.inFlight === null;
  if (next.retry && idle) {
    if (now >= next.retry.at && (next.retry.op === 'logout' || next.phase !== 'signed-out')) {
      const op = next.retry.op;
      next = request(next, op, effects);
      if (op === 'extend') next = { ...next, lastExtendAt: now };
    } else wake.push(next.retry.at);
  }
  if (next.phase === 'unknown' && next.inFlight === null && !next.retry) {
    if (now >= next.statusDueAt) next = request(next, 'status', effects);
    else wake.push(next.statusDueAt);
  }
  if (next.phase === 'live') next = settleLive(next, now, trigger, effects, wake);
  else if (next.warning) next = { ...next, warning: null };
  const at = wake.length > 0 ? Math.min(...wake) : null;
  effects.push({ type: 'arm', at });
  return next;
}

function settleLive(
  s: CoreState,
  now: number,
  trigger: SessionTrigger,
  effects: Effect[],
  wake: number[],
): CoreState {
  const deadline = nearestDeadline(s);
  if (!deadline) return s;
  let next = s;
  const { warnBefore, followerGrace, tabId } = s.config;
  const origin = { tabId, local: true, trigger };
  if (now >= deadline.at) {
    // Past the deadline: never enter the warning now; confirm with the server before
    // declaring expiry (another tab may have extended without us hearing of it).
    const askAt = next.isLeader ? deadline.at : deadline.at + followerGrace;
    if (!next.checking && next.inFlight === null && !next.retry) {
      if (now >= askAt) next = { ...request(next, 'status', effects), checking: true };
      else wake.push(askAt);
    }
    return next;
  }
  const want = now >= deadline.at - warnBefore ? deadline.limit : null;
  if (want !== next.warning) {
    const event = want
      ? ({ type: 'warning', limit: want, expiresAt: deadline.at, ...origin } as const)
      : ({ type: 'warning-cleared', ...origin } as const);
    effects.push({ type: 'emit', event });
    next = { ...next, warning: want };
  }
  wake.push(want ? deadline.at : deadline.at - warnBefore);
  if (!next.isLeader || next.checking || next.retry) return next;
  const owed = next.lastActivityAt > next.lastExtendAt && deadline.limit === 'idle' && !want;
  if (owed && next.inFlight === null) {
    const due = next.lastExtendAt + keepaliveSpacing(next);
    if (now >= due) {
      next = { ...request(next, 'extend', effects), lastExtendAt: now, extendBy: 'activity' };
    } else wake.push(due);
  }
  if (next.inFlight === null) {
    if (now >= next.statusDueAt) next = request(next, 'status', effects);
    else wake.push(next.statusDueAt);
  }
  return next;
}
