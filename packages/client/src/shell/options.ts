import type {
  ActivityOptions,
  ChannelFactory,
  DocumentLike,
  EventSource,
  LockManagerLike,
  ReauthFunction,
  SessionClientOptions,
  Timers,
} from '../types.js';

/** Options with every default filled in; made once per client. */
export interface ResolvedOptions {
  endpoint: string;
  warnBefore: number;
  keepaliveInterval: number;
  pollInterval: number;
  requestTimeout: number;
  reauth: 'endpoint' | ReauthFunction | false;
  channelName: string;
  channel: ChannelFactory | null;
  locks: LockManagerLike | null;
  now: () => number;
  timers: Timers;
  fetch: typeof fetch;
  document: DocumentLike | null;
  window: EventSource | null;
  activity: Required<ActivityOptions> | null;
  tabId: string;
}

const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'scroll'];

// Defaults reach the globals when called, not when this module loads, so test doubles
// installed later still take effect and a server import touches nothing.
const globalTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

function positive(name: string, value: number, min = 1): number {
  if (!Number.isFinite(value) || value < min) {
    throw new RangeError(`Lifeline: option "${name}" must be a number ≥ ${min}, got ${value}`);
  }
  return value;
}

/** Fills in defaults and rejects a bad option with a message that names it. */
export function resolveOptions(o: SessionClientOptions): ResolvedOptions {
  const g = globalThis as { document?: DocumentLike; navigator?: { locks?: LockManagerLike } };
  const doc = o.document !== undefined ? o.document : (g.document ?? null);
  const act = o.activity === false ? null : (o.activity ?? {});
  const win = o.window !== undefined ? o.window : typeof window === 'undefined' ? null : window;
  return {
    endpoint: (o.endpoint ?? '/session').replace(/\/+$/, ''),
    warnBefore: positive('warnBefore', o.warnBefore ?? 120_000, 20_000),
    keepaliveInterval: positive('keepaliveInterval', o.keepaliveInterval ?? 60_000, 1000),
    pollInterval: positive('pollInterval', o.pollInterval ?? 300_000, 1000),
    requestTimeout: positive('requestTimeout', o.requestTimeout ?? 10_000),
    reauth: o.reauth ?? 'endpoint',
    channelName: o.channelName ?? 'lifeline',
    channel: o.channel ?? null,
    locks: o.locks !== undefined ? o.locks : (g.navigator?.locks ?? null),
    now: o.now ?? (() => Date.now()),
    timers: o.timers ?? globalTimers,
    fetch: o.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    document: doc,
    window: win,
    activity: act && {
      events: act.events ?? ACTIVITY_EVENTS,
      target: act.target !== undefined ? act.target : doc,
      throttle: positive('activity.throttle', act.throttle ?? 1000, 0),
    },
    tabId: o.tabId ?? Math.random().toString(36).slice(2, 10),
  };
}
