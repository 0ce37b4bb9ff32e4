import type { SessionEvent } from '../types.js';
import type { SessionStatus } from '../wire.js';
import { reduce } from './reducer.js';
import { initialState } from './state.js';
import type { Action, CoreState, Operation, TabMessage } from './types.js';

/** One thing a step asked the shell to do, in the order the shell does them. */
export type Effect =
  | { readonly type: 'request'; readonly op: Operation }
  | { readonly type: 'post'; readonly message: TabMessage }
  | { readonly type: 'emit'; readonly event: SessionEvent }
  | { readonly type: 'arm'; readonly at: number | null };

export const MIN = 60_000;
export const CONFIG = {
  tabId: 'me',
  warnBefore: 2 * MIN,
  keepaliveInterval: MIN,
  pollInterval: 5 * MIN,
  requestTimeout: 10_000,
};

/** A model server (its clock = local + skew) and the core driven against it, for tests. */
export function createHarness(opts: { skew?: number; idle?: number; absolute?: number } = {}) {
  const skew = opts.skew ?? 0;
  const idleMs = opts.idle ?? 10 * MIN;
  const absMs = opts.absolute ?? 60 * MIN;
  let now = 1_000_000;
  const serverNow = () => now + skew;
  let session: { idle: number; absolute: number } | null = {
    idle: serverNow() + idleMs,
    absolute: serverNow() + absMs,
  };
  let state: CoreState = initialState(CONFIG);
  let armed: number | null = null;
  const pending: Array<{ op: Operation; sentAt: number }> = [];
  const log: Effect[] = [];
  /** The time each effect in `log` was produced. */
  const logAt: number[] = [];

  const live = () => {
    if (session && serverNow() >= Math.min(session.idle, session.absolute)) session = null;
    return session;
  };
  const status = (): SessionStatus => {
    const s = live();
    const base = { now: serverNow(), idleTimeoutMs: idleMs, canReauth: false };
    if (!s) return { state: 'none', reason: 'idle-timeout', ...base };
    return {
      state: 'active',
      idleExpiresAt: s.idle,
      absoluteExpiresAt: s.absolute,
      user: null,
      ...base,
    };
  };
  const dispatch = (action: Action): readonly Effect[] => {
    const step = reduce(state, action, now);
    state = step.state;
    const effects: Effect[] = [
      ...(step.request ? [{ type: 'request', op: step.request } as const] : []),
      ...(step.post ? [{ type: 'post', message: step.post } as const] : []),
      ...step.events.map((event) => ({ type: 'emit', event }) as const),
      { type: 'arm', at: step.wakeAt },
    ];
    for (const e of effects) {
      log.push(e);
      logAt.push(now);
      if (e.type === 'arm') armed = e.at;
      if (e.type === 'request') pending.push({ op: e.op, sentAt: now });
    }
    return effects;
  };
  return {
    dispatch,
    state: () => state,
    now: () => now,
    serverLive: () => live() !== null,
    session: () => live(),
    pending,
    log,
    logAt,
    /** Moves time, firing the armed timer whenever it falls due. */
    advance(ms: number): void {
      const until = now + ms;
      while (armed !== null && armed <= until) {
        now = Math.max(now, armed);
        armed = null;
        dispatch({ type: 'tick', trigger: 'timer' });
      }
      now = until;
    },
    /** Laptop sleep: time jumps, no timer runs. */
    sleep(ms: number): void {
      now += ms;
    },
    /** The server answers the oldest pending request after `rtt` ms (or it fails). */
    answer(rtt = 0, fail = false): Operation | null {
      const req = pending.shift();
      if (!req) return null;
      // The server stamps its answer halfway through the round trip.
      now += rtt / 2;
      const body = status();
      now += rtt / 2;
      if (fail)
        dispatch({ type: 'answer', op: req.op, sentAt: req.sentAt, error: new Error('down') });
      else {
        const s = live();
        if (req.op === 'extend' && s) s.idle = Math.min(serverNow() - rtt / 2 + idleMs, s.absolute);
        if (req.op === 'logout') session = null;
        const fresh = req.op === 'status' ? body : status();
        const answer = { type: 'answer', op: req.op, status: fresh, sentAt: req.sentAt };
        dispatch({ ...answer, receivedAt: now } as Action);
      }
      return req.op;
    },
    /** Answers every pending request. */
    drain(fail = false): void {
      while (pending.length > 0) this.answer(0, fail);
    },
    /** An app response carrying the deadline header (sliding the idle deadline unless passive). */
    header(passive: boolean): void {
      const s = live();
      if (!s) return;
      if (!passive) s.idle = Math.min(serverNow() + idleMs, s.absolute);
      dispatch({
        type: 'header',
        idle: s.idle,
        absolute: s.absolute,
        now: serverNow(),
        sentAt: now,
        receivedAt: now,
      });
    },
    localDeadline(): number | null {
      const d = state.deadlines;
      if (!d) return null;
      return Math.min(d.idle, d.absolute) - state.offset;
    },
  };
}
