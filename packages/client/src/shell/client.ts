import { parseTabMessage } from '../core/messages.js';
import { reduce } from '../core/reducer.js';
import { toSnapshot } from '../core/snapshot.js';
import { initialState } from '../core/state.js';
import type { Action, CoreState, Effect, Operation } from '../core/types.js';
import type {
  SessionClient,
  SessionClientOptions,
  SessionEvent,
  SessionEventType,
} from '../types.js';
import { createEmitter } from './emitter.js';
import { attachEnvironment } from './environment.js';
import { createSessionFetch } from './fetch.js';
import { callRoute, type RouteOutcome } from './http.js';
import { resolveOptions } from './options.js';
import { createReauth } from './reauth.js';
import { createDeadlineTimer } from './timer.js';

/** Pause past a deadline before a follower asks the server itself (the leader usually answers first). */
const FOLLOWER_GRACE = 1500;

/**
 * The composition root: wires the pure core to timers, DOM listeners, the network and the
 * cross-tab channel. Without a `channel` option the tab runs alone.
 */
export function createClientCore(options: SessionClientOptions = {}): SessionClient {
  const o = resolveOptions(options);
  const { now, tabId } = o;
  let state: CoreState = initialState({ ...o, followerGrace: FOLLOWER_GRACE });
  let snapshot = toSnapshot(state, now(), null);
  let destroyed = false;
  let busy = false;
  let lastReauthAt = Number.NEGATIVE_INFINITY;
  const queue: Action[] = [];
  const subscribers = new Set<() => void>();
  const emitter = createEmitter((error) => emitError('channel', error, false));
  const http = { endpoint: o.endpoint, fetch: o.fetch, now, requestTimeout: o.requestTimeout };
  const timer = createDeadlineTimer(o.timers, now, () =>
    dispatch({ type: 'tick', trigger: 'timer' }),
  );

  function emitError(operation: 'channel' | 'fetch', error: unknown, willRetry: boolean): void {
    emitter.emit({
      type: 'error',
      operation,
      error,
      willRetry,
      tabId,
      local: true,
      trigger: 'status',
    });
  }

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
        for (const effect of step.effects) run(effect);
        publish();
      }
    } finally {
      busy = false;
    }
  }

  function publish(): void {
    const next = toSnapshot(state, now(), snapshot);
    if (next === snapshot) return;
    snapshot = next;
    for (const fn of [...subscribers]) fn();
  }

  function run(effect: Effect): void {
    if (effect.type === 'arm') timer.arm(effect.at);
    else if (effect.type === 'post') channel?.post(effect.message);
    else if (effect.type === 'emit') {
      if (effect.event.type === 'reauthenticated' && !effect.event.local) lastReauthAt = now();
      emitter.emit(effect.event);
    } else void request(effect.op);
  }

  const pending = new Map<Operation, Promise<void>>();
  function request(op: Operation): Promise<void> {
    const done = callRoute(http, op).then((outcome) => {
      if (pending.get(op) === done) pending.delete(op);
      settleOutcome(op, outcome);
    });
    pending.set(op, done);
    return done;
  }
  /** Dispatches a user action and resolves when the request it caused (if any) has settled. */
  const act = async (action: Action, op: Operation) => {
    const before = pending.get(op);
    dispatch(action);
    const started = pending.get(op);
    if (started && started !== before) await started;
  };

  function settleOutcome(op: Operation, outcome: RouteOutcome): void {
    dispatch(outcome.type === 'failed' ? { type: 'failed', op, error: outcome.error } : outcome);
  }

  const channel = o.channel ? o.channel(o.channelName) : null;
  const offMessage = channel?.onMessage((raw) => {
    const message = parseTabMessage(raw);
    if (message) dispatch({ type: 'remote', message });
    else
      emitError('channel', new TypeError('Lifeline: ignored a malformed cross-tab message'), false);
  });
  const offLeadership = channel?.onLeadership((isLeader) =>
    dispatch({ type: 'leadership', isLeader }),
  );

  const reauthenticate = createReauth({
    ...http,
    strategy: o.reauth,
    locks: o.locks,
    lockName: `${o.channelName}:reauth`,
    lastReauthAt: () => lastReauthAt,
    settle: (outcome) => dispatch(outcome as Action),
    failed: (error) =>
      emitter.emit({ type: 'reauth-failed', error, tabId, local: true, trigger: 'response' }),
  });

  const refresh = async () => settleOutcome('status', await callRoute(http, 'status'));
  const detach = attachEnvironment(o, {
    activity: () => dispatch({ type: 'activity' }),
    wake: () => dispatch({ type: 'tick', trigger: 'wake' }),
    revalidate: () => void refresh(),
  });

  dispatch({ type: 'leadership', isLeader: channel ? channel.isLeader() : true });

  return {
    getSnapshot: () => snapshot,
    subscribe(listener) {
      subscribers.add(listener);
      return () => subscribers.delete(listener);
    },
    on<T extends SessionEventType>(
      type: T,
      listener: (event: Extract<SessionEvent, { type: T }>) => void,
    ) {
      return emitter.on(type, listener as (event: SessionEvent) => void);
    },
    extend: () => act({ type: 'extend' }, 'extend'),
    logout: () => act({ type: 'logout' }, 'logout'),
    reauthenticate: () => (destroyed ? Promise.resolve(false) : reauthenticate()),
    refresh,
    fetch: createSessionFetch({
      fetch: o.fetch,
      now,
      document: o.document,
      dispatch,
      reauthenticate,
    }),
    destroy() {
      if (destroyed) return;
      destroyed = true;
      timer.disarm();
      detach();
      offMessage?.();
      offLeadership?.();
      channel?.close();
      subscribers.clear();
      emitter.clear();
    },
  };
}
