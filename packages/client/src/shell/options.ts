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

/** The least value each numeric option accepts. */
const MINIMUMS = {
  warnBefore: 20_000,
  keepaliveInterval: 1000,
  pollInterval: 1000,
  requestTimeout: 1,
  throttle: 0,
};

/** The options given, without the ones left `undefined` (those take the default; `null` is kept). */
const given = <T extends object>(options: T): Partial<T> =>
  Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  ) as Partial<T>;

/** Rejects a numeric option out of range with a message that names it. */
function check(values: object, prefix = ''): void {
  for (const [name, min] of Object.entries(MINIMUMS)) {
    const value = (values as Record<string, number | undefined>)[name];
    if (value !== undefined && !(Number.isFinite(value) && value >= min)) {
      throw new RangeError(
        `Lifeline: option "${prefix}${name}" must be a number ≥ ${min}, got ${value}`,
      );
    }
  }
}

/**
 * Fills in defaults and rejects a bad option with a message that names it. Defaults reach
 * the globals when called, not when this module loads, so test doubles installed later
 * still take effect and a server import touches nothing.
 */
export function resolveOptions(options: SessionClientOptions): ResolvedOptions {
  const g = globalThis as {
    document?: DocumentLike;
    window?: EventSource;
    navigator?: { locks?: LockManagerLike };
  };
  const o: ResolvedOptions = {
    endpoint: '/session',
    warnBefore: 120_000,
    keepaliveInterval: 60_000,
    pollInterval: 300_000,
    requestTimeout: 10_000,
    reauth: 'endpoint',
    channelName: 'lifeline',
    channel: null,
    locks: g.navigator?.locks ?? null,
    now: () => Date.now(),
    timers: {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    },
    fetch: (input, init) => fetch(input, init),
    document: g.document ?? null,
    window: g.window ?? null,
    tabId: Math.random().toString(36).slice(2, 10),
    ...(given(options) as Partial<Omit<ResolvedOptions, 'activity'>>),
    activity: null,
  };
  check(o);
  o.endpoint = o.endpoint.replace(/\/+$/, '');
  if (options.activity !== false) {
    o.activity = {
      events: ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'scroll'],
      target: o.document,
      throttle: 1000,
      ...given(options.activity ?? {}),
    };
    check(o.activity, 'activity.');
  }
  return o;
}
