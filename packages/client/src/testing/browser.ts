import { createClientCore } from '../shell/client.js';
import type { DocumentLike, SessionClient, SessionClientOptions } from '../types.js';
import { createMemoryHub, type MemoryHub } from './channel.js';
import { createVirtualClock, type VirtualClock } from './clock.js';
import { createFakeLocks, type FakeLocks } from './locks.js';

/** An event target that counts its listeners, so a test can prove `destroy()` removed them. */
export interface CountingTarget extends DocumentLike {
  /** Calls the listeners of `type` with `event` (e.g. `{ persisted: true }` for `pageshow`). */
  dispatch(type: string, event?: object): void;
  listeners(): number;
  visibilityState: DocumentVisibilityState;
}

/**
 * Makes a fake `document`/`window`: dispatch events by name, count listeners. As in the
 * DOM, a listener is added once per type and `capture` flag, and removing it takes the
 * same flag: a removal that would leave it attached in a browser leaves it counted here.
 */
export function createCountingTarget(): CountingTarget {
  const byType = new Map<string, Set<() => void>>();
  const key = (type: string, options?: EventListenerOptions) =>
    options?.capture ? `${type} capture` : type;
  return {
    visibilityState: 'visible',
    addEventListener(type, fn, options) {
      const set = byType.get(key(type, options)) ?? new Set();
      byType.set(key(type, options), set);
      set.add(fn);
    },
    removeEventListener(type, fn, options) {
      byType.get(key(type, options))?.delete(fn);
    },
    dispatch(type, event) {
      // Capturing listeners first, as at an event's target.
      const all = [...(byType.get(`${type} capture`) ?? []), ...(byType.get(type) ?? [])];
      for (const fn of all) (fn as (event?: object) => void)(event);
    },
    listeners: () => [...byType.values()].reduce((n, set) => n + set.size, 0),
  };
}

/** One simulated tab: its client and the knobs a person would turn. */
export interface SimulatedTab {
  client: SessionClient;
  document: CountingTarget;
  window: CountingTarget;
  /** The person does something in this tab (passes the activity throttle). */
  act(): void;
  hide(): void;
  show(): void;
  /**
   * Closes the tab: destroys its client and, as a browser does, releases every Web Lock the
   * tab holds and drops every lock request it queued, at once.
   */
  close(): void;
}

/** A simulated browser: one clock, one channel, one lock manager for all of its tabs. */
export interface SimulatedBrowser {
  clock: VirtualClock;
  hub: MemoryHub;
  locks: FakeLocks;
  openTab(options?: SessionClientOptions): SimulatedTab;
}

/**
 * Makes a simulated browser whose tabs run real clients over an in-memory channel, fake
 * locks and a virtual clock. Pass the app's (or a fake server's) `fetch`.
 */
export function createSimulatedBrowser(
  base: SessionClientOptions & { clock?: VirtualClock } = {},
): SimulatedBrowser {
  const clock = base.clock ?? createVirtualClock();
  const hub = createMemoryHub();
  const locks = createFakeLocks();
  let tabs = 0;
  return {
    clock,
    hub,
    locks,
    openTab(options = {}) {
      const document = createCountingTarget();
      const window = createCountingTarget();
      const tabLocks = locks.forTab();
      const client = createClientCore({
        now: clock.now,
        timers: clock.timers,
        channel: hub.channel,
        locks: tabLocks,
        tabId: `tab-${++tabs}`,
        ...base,
        document,
        window,
        ...options,
      });
      const visibility = (state: DocumentVisibilityState) => {
        document.visibilityState = state;
        document.dispatch('visibilitychange');
      };
      return {
        client,
        document,
        window,
        act: () => {
          clock.advance(0);
          document.dispatch('pointerdown');
        },
        hide: () => visibility('hidden'),
        show: () => visibility('visible'),
        close: () => {
          client.destroy();
          tabLocks.close();
        },
      };
    },
  };
}

/** Lets queued promises and channel deliveries run (several rounds, as fetches chain). */
export async function flush(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}
