import type { SessionTrigger } from '../types.js';
import { backoff, settle } from './settle.js';
import { offsetSample, pickOffset } from './skew.js';
import { borrowOffset, endSession, nearestDeadline, type Origin } from './state.js';
import type { Action, CoreState, Effect, ServerDeadlines, Step, TabMessage } from './types.js';

/**
 * The pure core: `(state, action, now) -> { state, effects }`. No DOM, no timers, no
 * network; the shell runs the effects and feeds the results back as actions.
 */
export function reduce(state: CoreState, action: Action, now: number): Step {
  const effects: Effect[] = [];
  const own = (trigger: SessionTrigger): Origin => ({
    tabId: state.config.tabId,
    local: true,
    trigger,
  });
  let s = state;
  let trigger: SessionTrigger = 'status';
  switch (action.type) {
    case 'server':
      s = onServer(s, action, now, effects);
      break;
    case 'header': {
      const offset = pickOffset(
        s.offset,
        offsetSample(action.serverNow, action.sentAt, action.receivedAt),
      );
      s = { ...s, offset };
      const d = { idle: action.idle, absolute: action.absolute };
      s = adopt(s, d, action.sentAt, effects, 'response', false);
      trigger = 'response';
      break;
    }
    case 'rejected':
      trigger = 'response';
      if (action.sentAt >= s.endedAt)
        s = endSession(s, action.reason, own('response'), now, effects);
      break;
    case 'failed':
      s = onFailed(s, action.op, action.error, now, effects);
      break;
    case 'activity':
      trigger = 'activity';
      s = onActivity(s, now, effects);
      break;
    case 'tick':
      trigger = action.trigger;
      break;
    case 'extend':
      trigger = 'user';
      if (s.phase === 'live' && s.inFlight !== 'extend') {
        effects.push({ type: 'request', op: 'extend' });
        s = { ...s, inFlight: 'extend', lastActivityAt: now, lastExtendAt: now, extendBy: 'user' };
      }
      break;
    case 'logout':
      trigger = 'user';
      effects.push({ type: 'request', op: 'logout' });
      s = endSession({ ...s, inFlight: 'logout' }, 'logged-out', own('user'), now, effects);
      break;
    case 'leadership':
      if (action.isLeader !== s.isLeader) {
        const event = { type: 'leadership', isLeader: action.isLeader, ...own('status') } as const;
        effects.push({ type: 'emit', event });
        // A new leader confirms the state at once rather than trusting what it heard.
        s = { ...s, isLeader: action.isLeader, statusDueAt: action.isLeader ? now : s.statusDueAt };
      }
      break;
    case 'remote':
      trigger = 'trigger' in action.message ? action.message.trigger : 'activity';
      s = onRemote(s, action.message, now, effects);
      break;
  }
  return { state: settle(s, now, trigger, effects), effects };
}

function onServer(
  state: CoreState,
  action: Extract<Action, { type: 'server' }>,
  now: number,
  effects: Effect[],
): CoreState {
  const { status, sentAt, receivedAt, op } = action;
  const settled = state.inFlight === op ? null : state.inFlight;
  // A logout answer says nothing about clocks or deadlines: the session is already over here.
  if (op === 'logout') return { ...state, inFlight: settled, failures: 0, retry: null };
  let s: CoreState = {
    ...state,
    inFlight: settled,
    failures: 0,
    retry: null,
    checking: false,
    canReauth: status.canReauth,
    idleTimeoutMs: status.idleTimeoutMs,
    statusDueAt: now + state.config.pollInterval,
    offset: pickOffset(state.offset, offsetSample(status.now, sentAt, receivedAt)),
  };
  if (status.state === 'none') {
    if (sentAt < s.endedAt && s.phase !== 'live') return s;
    return endSession(
      s,
      status.reason,
      { tabId: s.config.tabId, local: true, trigger: 'status' },
      now,
      effects,
    );
  }
  s = { ...s, user: status.user };
  const d = { idle: status.idleExpiresAt, absolute: status.absoluteExpiresAt };
  const extended = op === 'extend' && state.inFlight === 'extend';
  const trigger = op === 'extend' ? (state.extendBy === 'user' ? 'user' : 'activity') : 'status';
  return adopt(s, d, sentAt, effects, trigger, extended, op === 'reauth');
}

/**
 * Takes deadlines the server reported. Within one session (same absolute deadline) the idle
 * deadline only moves forward, so a slow older answer cannot pull it back; a different
 * absolute deadline is a new session and wins when its request was sent later.
 */
function adopt(
  state: CoreState,
  d: ServerDeadlines,
  sentAt: number,
  effects: Effect[],
  trigger: SessionTrigger,
  extended: boolean,
  reauthenticated = false,
): CoreState {
  if (sentAt < state.endedAt && !reauthenticated) return state;
  const cur = state.deadlines;
  let deadlines = cur;
  if (!cur || (cur.absolute !== d.absolute && sentAt >= state.deadlinesSentAt)) deadlines = d;
  else if (cur.absolute === d.absolute && d.idle > cur.idle) deadlines = d;
  const changed = deadlines !== cur || state.phase !== 'live';
  // The server slid the idle deadline when it set it: that counts as the last extension.
  const slidAt = deadlines
    ? deadlines.idle - state.idleTimeoutMs - (state.offset?.value ?? 0)
    : -Infinity;
  let s: CoreState = {
    ...state,
    deadlines,
    lastExtendAt:
      state.idleTimeoutMs > 0 ? Math.max(state.lastExtendAt, slidAt) : state.lastExtendAt,
    phase: 'live',
    deadlinesSentAt: deadlines === cur ? state.deadlinesSentAt : sentAt,
  };
  const origin = { tabId: s.config.tabId, local: true, trigger };
  if (extended && deadlines) {
    const idleExpiresAt = nearestIdle(s);
    effects.push({ type: 'emit', event: { type: 'extended', idleExpiresAt, ...origin } });
  }
  if (reauthenticated) {
    effects.push({ type: 'emit', event: { type: 'reauthenticated', ...origin } });
    s = { ...s, reason: null };
  }
  if ((changed || extended || reauthenticated) && s.deadlines) {
    const message: TabMessage = {
      v: 1,
      from: s.config.tabId,
      kind: 'deadlines',
      ...s.deadlines,
      offset: s.offset?.value ?? 0,
      canReauth: s.canReauth,
      user: s.user,
      extended,
      reauthenticated,
      trigger,
    };
    effects.push({ type: 'post', message });
  }
  return s;
}

function nearestIdle(s: CoreState): number {
  return (s.deadlines?.idle ?? 0) - (s.offset?.value ?? 0);
}

function onFailed(
  s: CoreState,
  op: CoreState['inFlight'] & string,
  error: unknown,
  now: number,
  effects: Effect[],
): CoreState {
  const failures = s.failures + 1;
  const origin = { tabId: s.config.tabId, local: true, trigger: 'status' } as const;
  let next: CoreState = { ...s, failures, inFlight: s.inFlight === op ? null : s.inFlight };
  const deadline = nearestDeadline(next);
  if (op === 'status' && deadline && now >= deadline.at) {
    // Cannot confirm and the deadline has passed even allowing for clock uncertainty: the
    // server has ended the session unless a tab we cannot hear extended it. Show it ended.
    const margin = (next.offset?.rtt ?? 0) / 2;
    if (now >= deadline.at + margin) {
      const reason = deadline.limit === 'idle' ? 'idle-timeout' : 'absolute-timeout';
      effects.push({
        type: 'emit',
        event: { type: 'error', operation: op, error, willRetry: false, ...origin },
      });
      return endSession(next, reason, { ...origin, trigger: 'local' }, now, effects);
    }
  }
  if (op === 'extend')
    next = { ...next, lastExtendAt: Math.min(next.lastExtendAt, next.lastActivityAt - 1) };
  next = { ...next, checking: false, retry: { op, at: now + backoff(failures) } };
  effects.push({
    type: 'emit',
    event: { type: 'error', operation: op, error, willRetry: true, ...origin },
  });
  return next;
}

function onActivity(s: CoreState, now: number, effects: Effect[]): CoreState {
  // Activity while the idle warning shows does not count: the user confirms by choosing to stay.
  if (s.phase !== 'live' || s.warning === 'idle') return s;
  let next = { ...s, lastActivityAt: now };
  const told =
    s.activityPostedAt > s.lastExtendAt && now - s.activityPostedAt < s.config.keepaliveInterval;
  if (!s.isLeader && !told) {
    effects.push({
      type: 'post',
      message: { v: 1, from: s.config.tabId, kind: 'activity', at: now },
    });
    next = { ...next, activityPostedAt: now };
  }
  return next;
}

function onRemote(s: CoreState, m: TabMessage, now: number, effects: Effect[]): CoreState {
  const origin = {
    tabId: m.from,
    local: false,
    trigger: 'trigger' in m ? m.trigger : 'activity',
  } as const;
  if (m.kind === 'activity') {
    return s.phase === 'live' && s.warning !== 'idle' ? { ...s, lastActivityAt: now } : s;
  }
  if (m.kind === 'ended') return endSession(s, m.reason, origin, now, effects);
  // A late message about the session that already ended here must not revive it.
  if (s.phase !== 'live' && m.absolute === s.endedAbsolute) return s;
  let next: CoreState = {
    ...s,
    phase: 'live',
    offset: borrowOffset(s.offset, m.offset, now),
    canReauth: m.canReauth,
    user: m.user,
    statusDueAt: now + s.config.pollInterval,
  };
  const cur = next.deadlines;
  if (!cur || cur.absolute !== m.absolute || m.idle > cur.idle) {
    next = { ...next, deadlines: { idle: m.idle, absolute: m.absolute }, deadlinesSentAt: now };
  }
  if (m.extended) {
    next = { ...next, lastExtendAt: now };
    effects.push({
      type: 'emit',
      event: { type: 'extended', idleExpiresAt: nearestIdle(next), ...origin },
    });
  }
  if (m.reauthenticated) {
    next = { ...next, reason: null };
    effects.push({ type: 'emit', event: { type: 'reauthenticated', ...origin } });
  }
  return next;
}
