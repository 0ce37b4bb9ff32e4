import { parseTabMessage } from '../core/parse.js';
import { reduce } from '../core/reducer.js';
import { initialState, toSnapshot } from '../core/state.js';
import type { Action, CoreState, Operation } from '../core/types.js';
import type { SessionClient, SessionClientOptions, SessionEvent, TabChannel } from '../types.js';
import { attachEnvironment } from './environment.js';
import { callRoute, createSessionFetch, timeoutSignal } from './http.js';
import { resolveOptions } from './options.js';

// Browsers run a longer delay at once (32-bit overflow); re-arming on wake covers the rest.
const MAX_DELAY = 2 ** 31 - 1;
/** Listener key of snapshot subscribers, beside the event types. */
const CHANGE = 'change';

type Listener = (event?: SessionEvent) => void;

/**
 * The composition root: wires the pure core to timers, DOM listeners, the network and the
 * cross-tab channel. Without a `channel` option, or when the channel cannot be opened (a
 * browser without `BroadcastChannel`), the tab runs alone.
 */
export function createClientCore(options: SessionClientOptions = {}): SessionClient {
  const o = resolveOptions(options);
  const { now, tabId, timers } = o;
  let state: CoreState = initialState(o);
  let snapshot = toSnapshot(state, now(), null);
  let destroyed = false;
  let busy = false;
  let timer: unknown = null;
  let reauthRunning: Promise<boolean> | null = null;
  const queue: Action[] = [];
  const pending = new Map<Operation, Promise<void>>();
  /** Event listeners by event type, and snapshot subscribers under `CHANGE`. */
  const listeners = new Map<string, Set<Listener>>();

  const on = (type: string, listener: Listener) => {
    const set = listeners.get(type) ?? new Set();
    listeners.set(type, set.add(listener));
    return () => set.delete(listener);
  };

  /** Calls the listeners of `type`; a throwing one is reported and never breaks the others. */
  function emit(type: string, event?: SessionEvent): void {
    for (const listener of [...(listeners.get(type) ?? [])]) {
      try {
        listener(event);
      } catch (error) {
        if (type !== 'error') emitOwn('error', { operation: 'channel', error, willRetry: false });
      }
    }
  }

  /** Emits an event this tab raised outside the core (errors, a failed re-auth). */
  const emitOwn = (type: 'error' | 'reauth-failed', fields: object) =>
    emit(type, { type, tabId, local: true, trigger: 'status', ...fields } as SessionEvent);

  function dispatch(action: Action): void {
    if (destroyed) return;
    queue.push(action);
    // Effects may dispatch (a listener calling extend()); queue instead of re-entering.
    if (busy) return;
    busy = true;
    try {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const step = reduce(state, next, now());
        state = step.state;
        for (const effect of step.effects) {
          // A listener may have called destroy(): run nothing more, arm nothing.
          if (destroyed) return;
          switch (effect.type) {
            case 'arm':
              arm(effect.at);
              break;
            case 'post':
              channel?.post(effect.message);
              break;
            case 'emit':
              emit(effect.event.type, effect.event);
              break;
            default:
              request(effect.op);
          }
        }
        const next_ = toSnapshot(state, now(), snapshot);
        if (next_ !== snapshot) {
          snapshot = next_;
          emit(CHANGE);
        }
      }
    } finally {
      busy = false;
    }
  }

  /** One timer for the next deadline: arming replaces whatever was armed before. */
  function arm(at: number | null): void {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
    if (at === null) return;
    const fire = () => {
      timer = null;
      dispatch({ type: 'tick', trigger: 'timer' });
    };
    timer = timers.setTimeout(fire, Math.min(MAX_DELAY, Math.max(0, at - now())));
  }

  function request(op: Operation): void {
    const done = callRoute(o, op).then((action) => {
      if (pending.get(op) === done) pending.delete(op);
      dispatch(action);
    });
    pending.set(op, done);
  }

  /** Dispatches a user action and resolves when the request it caused (if any) has settled. */
  const act = async (type: 'extend' | 'logout') => {
    const before = pending.get(type);
    dispatch({ type });
    const started = pending.get(type);
    if (started !== before) await started;
  };

  const refresh = async () => dispatch(await callRoute(o, 'status'));

  /** One re-auth attempt; `startedAt` lets a tab that waited for the lock take another's success. */
  async function attempt(startedAt: number): Promise<boolean> {
    // Any tab's re-auth, this one's included, satisfies requests sent before it.
    if (state.reauthAt >= startedAt) return true;
    const { reauth } = o;
    if (reauth === false) return false;
    try {
      if (reauth !== 'endpoint') {
        const signal = timeoutSignal(o.requestTimeout * 6) ?? new AbortController().signal;
        // The app's function may ignore its signal; never wait on it past the deadline, or
        // the re-auth (and its lock, in every tab) would be held for good.
        const gaveUp = new Promise<false>((resolve) =>
          signal.addEventListener('abort', () => resolve(false), { once: true }),
        );
        if ((await Promise.race([reauth({ signal }), gaveUp])) === false)
          throw new Error('reauth: the app function declined or timed out');
      }
      const outcome = await callRoute(o, reauth === 'endpoint' ? 'reauth' : 'status');
      if (outcome.type !== 'server' || outcome.status.state !== 'active') {
        throw outcome.type === 'failed'
          ? outcome.error
          : new Error('reauth: no session after re-auth');
      }
      dispatch({ ...outcome, op: 'reauth' });
      return true;
    } catch (error) {
      emitOwn('reauth-failed', { error, trigger: 'response' });
      return false;
    }
  }

  /**
   * Silent re-authentication, single-flight: concurrent callers in this tab share one
   * attempt, and the Web Lock makes tabs take turns.
   */
  function reauthenticate(since = now()): Promise<boolean> {
    if (reauthRunning) return reauthRunning;
    const startedAt = since;
    const run = () => attempt(startedAt);
    reauthRunning = (o.locks ? o.locks.request(`${o.channelName}:reauth`, {}, run) : run())
      .catch(() => false)
      .finally(() => {
        reauthRunning = null;
      });
    return reauthRunning;
  }

  let channel: TabChannel | null = null;
  try {
    channel = o.channel?.(o.channelName) ?? null;
  } catch {
    // No cross-tab transport here (a browser without BroadcastChannel): this tab runs alone.
  }
  const detach = [
    channel?.onMessage((raw) => {
      const message = parseTabMessage(raw);
      if (message) dispatch({ type: 'remote', message });
      else {
        const error = new TypeError('Lifeline: ignored a malformed cross-tab message');
        emitOwn('error', { operation: 'channel', error, willRetry: false });
      }
    }),
    channel?.onLeadership((isLeader) => dispatch({ type: 'leadership', isLeader })),
    attachEnvironment(o, dispatch, refresh),
  ];

  dispatch({ type: 'leadership', isLeader: channel ? channel.isLeader() : true });

  return {
    getSnapshot: () => snapshot,
    subscribe: (listener) => on(CHANGE, listener),
    on: on as SessionClient['on'],
    extend: () => act('extend'),
    logout: () => act('logout'),
    reauthenticate: () => (destroyed ? Promise.resolve(false) : reauthenticate()),
    refresh,
    fetch: createSessionFetch(o, dispatch, reauthenticate),
    destroy() {
      if (destroyed) return;
      destroyed = true;
      queue.length = 0;
      arm(null);
      for (const off of detach) off?.();
      channel?.close();
      listeners.clear();
    },
  };
}
