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

type NumberOption = 'warnBefore' | 'keepaliveInterval' | 'pollInterval' | 'requestTimeout';

/** Each numeric option: its default and the least value accepted. */
const NUMBERS: Record<NumberOption, [fallback: number, min: number]> = {
  warnBefore: [120_000, 20_000],
  keepaliveInterval: [60_000, 1000],
  pollInterval: [300_000, 1000],
  requestTimeout: [10_000, 1],
};

const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'scroll'];

function positive(name: string, value: number, min: number): number {
  if (!Number.isFinite(value) || value < min) {
    throw new RangeError(`Lifeline: option "${name}" must be a number ≥ ${min}, got ${value}`);
  }
  return value;
}

/** `undefined` takes the default; `null` (no such thing here) is kept. */
const or = <T>(value: T | undefined, fallback: T): T => (value === undefined ? fallback : value);

/**
 * Fills in defaults and rejects a bad option with a message that names it. Defaults reach
 * the globals when called, not when this module loads, so test doubles installed later
 * still take effect and a server import touches nothing.
 */
export function resolveOptions(o: SessionClientOptions): ResolvedOptions {
  const g = globalThis as {
    document?: DocumentLike;
    window?: EventSource;
    navigator?: { locks?: LockManagerLike };
  };
  const doc = or(o.document, g.document ?? null);
  const act = o.activity === false ? null : (o.activity ?? {});
  const numbers = {} as Record<NumberOption, number>;
  for (const [name, [fallback, min]] of Object.entries(NUMBERS)) {
    numbers[name as NumberOption] = positive(name, o[name as NumberOption] ?? fallback, min);
  }
  return {
    ...numbers,
    endpoint: (o.endpoint ?? '/session').replace(/\/+$/, ''),
    reauth: o.reauth ?? 'endpoint',
    channelName: o.channelName ?? 'lifeline',
    channel: o.channel ?? null,
    locks: or(o.locks, g.navigator?.locks ?? null),
    now: o.now ?? (() => Date.now()),
    timers: o.timers ?? {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    },
    fetch: o.fetch ?? ((input, init) => fetch(input, init)),
    document: doc,
    window: or(o.window, g.window ?? null),
    activity: act && {
      events: act.events ?? ACTIVITY_EVENTS,
      target: or(act.target, doc),
      throttle: positive('activity.throttle', act.throttle ?? 1000, 0),
    },
    tabId: o.tabId ?? Math.random().toString(36).slice(2, 10),
  };
}
