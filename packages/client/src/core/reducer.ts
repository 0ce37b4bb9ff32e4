import type { SessionTrigger } from '../types.js';
import { backoff, keepaliveSpacing, settle } from './settle.js';
import { offsetSample, pickOffset } from './skew.js';
import { type Draft, draft, endSession, nearestDeadline, offsetOf } from './state.js';
import type { Action, CoreState, ServerDeadlines, Step, TabMessage } from './types.js';

/**
 * The pure core: `(state, action, now) -> { state, effects }`. No DOM, no timers, no
 * network; the shell runs the effects and feeds the results back as actions. The state
 * passed in is never changed: each step works on its own copy.
 */
export function reduce(state: CoreState, action: Action, now: number): Step {
  const d = draft(state, now);
  const { s } = d;
  let trigger: SessionTrigger = 'status';
  switch (action.type) {
    case 'server':
      onServer(d, action);
      break;
    case 'header':
      trigger = 'response';
      s.offset = pickOffset(
        s.offset,
        offsetSample(action.serverNow, action.sentAt, action.receivedAt),
      );
      adopt(d, action, action.sentAt, trigger);
      break;
    case 'rejected':
      trigger = 'response';
      if (action.sentAt >= s.endedAt && action.sentAt >= s.sessionSince) {
        endSession(d, action.reason, d.own(trigger));
      }
      break;
    case 'failed':
      onFailed(d, action.op, action.error);
      break;
    case 'activity':
      trigger = 'activity';
      onActivity(d);
      break;
    case 'tick':
      trigger = action.trigger;
      break;
    case 'extend':
      trigger = 'user';
      if (s.phase === 'live' && s.inFlight !== 'extend') {
        d.effects.push({ type: 'request', op: 'extend' });
        Object.assign(s, {
          inFlight: 'extend',
          lastActivityAt: now,
          lastExtendAt: now,
          extendBy: 'user',
        });
      }
      break;
    case 'logout':
      trigger = 'user';
      d.effects.push({ type: 'request', op: 'logout' });
      s.inFlight = 'logout';
      endSession(d, 'logged-out', d.own(trigger));
      break;
    case 'leadership':
      if (action.isLeader !== s.isLeader) {
        d.emit({ type: 'leadership', isLeader: action.isLeader }, d.own(trigger));
        s.isLeader = action.isLeader;
        // A new leader confirms the state at once rather than trusting what it heard.
        if (s.isLeader) s.statusDueAt = now;
      }
      break;
    case 'remote':
      trigger = action.message.kind === 'activity' ? 'activity' : action.message.trigger;
      onRemote(d, action.message, trigger);
      break;
  }
  settle(d, trigger);
  return { state: s, effects: d.effects };
}

function onServer(d: Draft, action: Extract<Action, { type: 'server' }>): void {
  const { s, now } = d;
  const { status, sentAt, op } = action;
  const extended = op === 'extend' && s.inFlight === 'extend';
  if (s.inFlight === op) s.inFlight = null;
  s.failures = 0;
  s.retry = null;
  // A logout answer says nothing about clocks or deadlines: the session is already over here.
  if (op === 'logout') return;
  Object.assign(s, {
    checking: false,
    canReauth: status.canReauth,
    idleTimeoutMs: status.idleTimeoutMs,
    statusDueAt: now + s.config.pollInterval,
    offset: pickOffset(s.offset, offsetSample(status.now, sentAt, action.receivedAt)),
  });
  if (status.state === 'none') {
    if (sentAt < s.sessionSince) return; // about the cookie a re-auth replaced
    if (sentAt >= s.endedAt || s.phase === 'live') endSession(d, status.reason, d.own('status'));
    return;
  }
  s.user = status.user;
  const deadlines = { idle: status.idleExpiresAt, absolute: status.absoluteExpiresAt };
  const trigger = op !== 'extend' ? 'status' : s.extendBy === 'user' ? 'user' : 'activity';
  adopt(d, deadlines, sentAt, trigger, extended, op === 'reauth');
}

/**
 * Takes deadlines the server reported. Within one session (same absolute deadline) the idle
 * deadline only moves forward, so a slow older answer cannot pull it back; a different
 * absolute deadline is a new session and wins when its request was sent later.
 */
function adopt(
  d: Draft,
  { idle, absolute }: ServerDeadlines,
  sentAt: number,
  trigger: SessionTrigger,
  extended = false,
  reauthenticated = false,
): void {
  const { s } = d;
  if (sentAt < s.endedAt && !reauthenticated) return;
  const cur = s.deadlines;
  const changed =
    !cur ||
    (cur.absolute !== absolute && sentAt >= s.deadlinesSentAt) ||
    (cur.absolute === absolute && idle > cur.idle);
  if (changed) {
    // A different absolute deadline, or a re-auth, is a new session from now on.
    if (reauthenticated || (cur && cur.absolute !== absolute)) s.sessionSince = d.now;
    s.deadlines = { idle, absolute };
    s.deadlinesSentAt = sentAt;
  }
  const announce = changed || s.phase !== 'live' || extended || reauthenticated;
  s.phase = 'live';
  // The server slid the idle deadline when it set it: that counts as the last extension.
  // Never dated later than the request was sent: the offset estimate can err by half a
  // round trip, and activity after the send must not pass for covered when it may not be.
  const slidAt = Math.min(sentAt, (s.deadlines?.idle ?? 0) - s.idleTimeoutMs - offsetOf(s));
  if (s.idleTimeoutMs > 0) s.lastExtendAt = Math.max(s.lastExtendAt, slidAt);
  tellExtended(d, extended, reauthenticated, d.own(trigger));
  if (announce && s.deadlines) {
    d.post({
      kind: 'deadlines',
      ...s.deadlines,
      offset: offsetOf(s),
      canReauth: s.canReauth,
      user: s.user,
      extended,
      reauthenticated,
      trigger,
    });
  }
}

/** Emits `extended` and `reauthenticated` as they apply. */
function tellExtended(
  d: Draft,
  extended: boolean,
  reauthenticated: boolean,
  origin: ReturnType<Draft['own']>,
): void {
  const { s } = d;
  if (extended)
    d.emit({ type: 'extended', idleExpiresAt: (s.deadlines?.idle ?? 0) - offsetOf(s) }, origin);
  if (reauthenticated) {
    d.emit({ type: 'reauthenticated' }, origin);
    s.reason = null;
  }
}

function onFailed(d: Draft, op: CoreState['inFlight'] & string, error: unknown): void {
  const { s, now } = d;
  s.failures++;
  if (s.inFlight === op) s.inFlight = null;
  const origin = d.own('status');
  const deadline = nearestDeadline(s);
  // Cannot confirm and the deadline has passed even allowing for clock uncertainty: the
  // server has ended the session unless a tab we cannot hear extended it. Show it ended.
  const ended = op === 'status' && deadline && now >= deadline.at + (s.offset?.rtt ?? 0) / 2;
  d.emit({ type: 'error', operation: op, error, willRetry: !ended }, origin);
  if (ended) {
    const reason = deadline.limit === 'idle' ? 'idle-timeout' : 'absolute-timeout';
    endSession(d, reason, { ...origin, trigger: 'local' });
    return;
  }
  if (op === 'extend') s.lastExtendAt = Math.min(s.lastExtendAt, s.lastActivityAt - 1);
  s.checking = false;
  s.retry = { op, at: now + backoff(s.failures) };
}

function onActivity(d: Draft): void {
  const { s, now } = d;
  // Activity while the idle warning shows does not count: the user confirms by choosing to stay.
  if (s.phase !== 'live' || s.warning === 'idle') return;
  s.lastActivityAt = now;
  // Told the leader already, and no extension since: stay quiet, but only for one keepalive
  // spacing, so activity the leader missed (a message lost in a race) is said again in time.
  const told =
    s.activityPostedAt > s.lastExtendAt && now - s.activityPostedAt < keepaliveSpacing(s);
  if (!s.isLeader && !told) {
    d.post({ kind: 'activity', at: now });
    s.activityPostedAt = now;
  }
}

function onRemote(d: Draft, m: TabMessage, trigger: SessionTrigger): void {
  const { s, now } = d;
  const origin = { tabId: m.from, local: false, trigger };
  if (m.kind === 'activity') {
    if (s.phase === 'live' && s.warning !== 'idle') s.lastActivityAt = now;
    return;
  }
  if (m.kind === 'ended') {
    // News of a session other than ours (the one a re-auth here just replaced) is not ours.
    if (s.phase === 'live' && m.absolute !== null && m.absolute !== s.deadlines?.absolute) return;
    endSession(d, m.reason, origin);
    return;
  }
  // A late message about the session that already ended here must not revive it.
  if (s.phase !== 'live' && m.absolute === s.endedAbsolute) return;
  Object.assign(s, {
    phase: 'live',
    offset: s.offset ?? { value: m.offset, rtt: Number.MAX_SAFE_INTEGER, at: now },
    canReauth: m.canReauth,
    user: m.user,
    statusDueAt: now + s.config.pollInterval,
  });
  const cur = s.deadlines;
  if (!cur || cur.absolute !== m.absolute || m.idle > cur.idle) {
    if (m.reauthenticated || (cur && cur.absolute !== m.absolute)) s.sessionSince = now;
    s.deadlines = { idle: m.idle, absolute: m.absolute };
    s.deadlinesSentAt = now;
  }
  if (m.extended) s.lastExtendAt = now;
  tellExtended(d, m.extended, m.reauthenticated, origin);
}
