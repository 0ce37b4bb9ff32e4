import type { SessionTrigger } from '../types.js';
import { type Draft, nearestDeadline } from './state.js';

/** Retry delay after `failures` consecutive failures: 1 s doubling to at most a minute. */
export function backoff(failures: number): number {
  return Math.min(1000 * 2 ** Math.max(0, failures - 1), 60_000);
}

/**
 * Brings the state up to `now`: enters or leaves the warning, schedules keepalive, polls,
 * retries and expiry checks, and arms exactly one timer for the next instant that matters.
 */
/**
 * Time between keepalive extensions: the configured interval, capped so an active user's
 * extension always lands before the idle warning.
 */
export function keepaliveSpacing(s: Draft['s']): number {
  const { keepaliveInterval, warnBefore } = s.config;
  return s.idleTimeoutMs > 0
    ? Math.min(keepaliveInterval, Math.max(1000, (s.idleTimeoutMs - warnBefore) / 2))
    : keepaliveInterval;
}

export function settle(d: Draft, trigger: SessionTrigger): void {
  const { s, now } = d;
  const wake: number[] = [];
  // Asks for `op` when `at` has come (and `when` holds), else wakes up for it.
  const due = (at: number, run: () => void) => (now >= at ? run() : wake.push(at));
  const { retry } = s;
  if (retry && s.inFlight === null) {
    if (retry.op === 'logout' || s.phase !== 'signed-out') {
      due(retry.at, () => {
        d.request(retry.op);
        if (retry.op === 'extend') s.lastExtendAt = now;
      });
    } else wake.push(retry.at);
  }
  if (s.phase === 'unknown' && s.inFlight === null && !s.retry) {
    due(s.statusDueAt, () => d.request('status'));
  }
  if (s.phase === 'live') settleLive(d, trigger, due, wake);
  else s.warning = null;
  d.effects.push({ type: 'arm', at: wake.length > 0 ? Math.min(...wake) : null });
}

function settleLive(
  d: Draft,
  trigger: SessionTrigger,
  due: (at: number, run: () => void) => unknown,
  wake: number[],
): void {
  const { s, now } = d;
  const deadline = nearestDeadline(s);
  if (!deadline) return;
  const { warnBefore, followerGrace } = s.config;
  const idle = s.inFlight === null;
  if (now >= deadline.at) {
    // Past the deadline: never enter the warning now; confirm with the server before
    // declaring expiry (another tab may have extended without us hearing of it).
    if (!s.checking && idle && !s.retry) {
      due(deadline.at + (s.isLeader ? 0 : followerGrace), () => {
        d.request('status');
        s.checking = true;
      });
    }
    return;
  }
  const want = now >= deadline.at - warnBefore ? deadline.limit : null;
  if (want !== s.warning) {
    const expiresAt = deadline.at;
    d.emit(
      want ? { type: 'warning', limit: want, expiresAt } : { type: 'warning-cleared' },
      d.own(trigger),
    );
    s.warning = want;
  }
  wake.push(want ? deadline.at : deadline.at - warnBefore);
  if (!s.isLeader || s.checking || s.retry || !idle) return;
  if (s.lastActivityAt > s.lastExtendAt && deadline.limit === 'idle' && !want) {
    due(s.lastExtendAt + keepaliveSpacing(s), () => {
      d.request('extend');
      s.lastExtendAt = now;
      s.extendBy = 'activity';
    });
  }
  if (s.inFlight === null) due(s.statusDueAt, () => d.request('status'));
}
