import type {
  ActivityOptions,
  DocumentLike,
  LockManagerLike,
  SessionClientOptions,
  Timers,
} from '../types.js';
import { defaultNow } from './clock.js';

/** Options with every default filled in; made once per client. */
export type ResolvedOptions = Required<
  Omit<SessionClientOptions, 'activity' | 'channel' | 'locks' | 'document' | 'window'>
> &
  Pick<SessionClientOptions, 'channel' | 'locks' | 'document' | 'window'> & {
    activity: (ActivityOptions & { events: readonly string[]; throttle: number }) | null;
  };

/**
 * A refused value as an error message shows it. An object shows as its type: turning one
 * into a string can throw (no prototype, a throwing `toString`), which would replace the
 * message with one naming nothing.
 */
const shown = (value: unknown) => (Object(value) === value ? typeof value : String(value));

/**
 * `defaults` with the options given (one left `undefined` takes the default), rejecting
 * an option of the wrong type (`TypeError`) or out of range (`RangeError`) with a message
 * that names it, so a mistake fails where the client is made, not at its first request.
 * An option takes its default's type, or `null` (none) where that is an object; `reauth`
 * takes `'endpoint'`, `false` or a function.
 */
const merge = <T extends object>(defaults: Partial<T>, given: object, prefix = ''): T => {
  const o = { ...defaults } as Record<string, unknown>;
  for (const [name, value] of Object.entries(given)) {
    if (value === undefined) continue;
    // A misspelt option would leave its default in force (`activty: false` tracks on).
    if (!(name in o)) throw new TypeError(`Lifeline: option "${prefix}${name}" is not an option`);
    // No default (`channel`; `locks`, `document`, `window` where the global is missing;
    // `activity`, resolved below): an object or function, or `null`/`false` for none.
    const unset = o[name] == null;
    // Names every type the option takes: `typeof null` is 'object', so one that takes an
    // object takes `null` too, but for the two below.
    const kind = unset ? 'object or function' : typeof o[name];
    const fits =
      name === 'reauth'
        ? value === 'endpoint' || value === false || typeof value === 'function'
        : // Timers and activity events have no "none": the client needs them.
          (kind.includes(typeof value) &&
            (value !== null || !['timers', 'events'].includes(name))) ||
          (unset && value === false);
    if (!fits) {
      const what = name === 'reauth' ? "'endpoint', false or a function" : `of type ${kind}`;
      throw new TypeError(
        `Lifeline: option "${prefix}${name}" must be ${what}, got ${shown(value)}`,
      );
    }
    o[name] = value;
  }
  // The least value each numeric option accepts.
  const minimums = {
    warnBefore: 20_000,
    keepaliveInterval: 1000,
    pollInterval: 1000,
    requestTimeout: 1,
    throttle: 0,
  };
  for (const [name, min] of Object.entries(minimums)) {
    const value = o[name] as number | undefined;
    // Finite and at least `min`: `NaN` and `Infinity` fail too.
    if (value !== undefined && !(value >= min && value < Number.POSITIVE_INFINITY)) {
      throw new RangeError(
        `Lifeline: option "${prefix}${name}" must be a number >= ${min}, got ${shown(value)}`,
      );
    }
  }
  return o as T;
};

/**
 * Fills in defaults and rejects a bad option with a message that names it. Defaults reach
 * the globals when called, not when this module loads, so test doubles installed later
 * still take effect and a server import touches nothing.
 */
export const resolveOptions = (options: SessionClientOptions): ResolvedOptions => {
  const g = globalThis as typeof globalThis & {
    document?: DocumentLike;
    navigator?: { locks?: LockManagerLike };
  };
  const o = merge<ResolvedOptions>(
    {
      endpoint: '/session',
      warnBefore: 120_000,
      keepaliveInterval: 60_000,
      pollInterval: 300_000,
      requestTimeout: 10_000,
      reauth: 'endpoint',
      channelName: 'lifeline',
      locks: g.navigator?.locks,
      now: defaultNow,
      // The timer functions are looked up on the global object at each call.
      timers: g as unknown as Timers,
      fetch: (input, init) => fetch(input, init),
      document: g.document,
      window: g.window,
      tabId: Math.random().toString(36).slice(2, 10),
      // Options without a default, listed so that only misspelt names are refused.
      channel: undefined,
      activity: undefined,
    },
    options,
  );
  o.endpoint = o.endpoint.replace(/\/+$/, '');
  o.activity =
    // `null` too: it passes the type check (`typeof null`), and would turn tracking on.
    options.activity === false || options.activity === null
      ? null
      : merge(
          {
            // No `scroll`: a page that scrolls itself (a live log, a chat) fires it too,
            // and would keep an idle person signed in. A person's scrolling comes with
            // `wheel`, `touchstart`, `keydown` or `pointerdown` (the scrollbar).
            events: ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'],
            target: o.document,
            throttle: 1000,
          },
          options.activity ?? {},
          'activity.',
        );
  return o;
};
