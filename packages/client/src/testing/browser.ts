import { createClientCore } from '../shell/client.js';
import type { DocumentLike, SessionClient, SessionClientOptions } from '../types.js';
import { createMemoryHub, type MemoryHub } from './channel.js';
import { createVirtualClock, type VirtualClock } from './clock.js';
import { createFakeLocks, type FakeLocks } from './locks.js';
import { isRequest } from './request.js';

/** An event target that counts its listeners, so a test can prove `destroy()` removed them. */
export interface CountingTarget extends DocumentLike {
  /** Calls the listeners of `type` with `event` (e.g. `{ persisted: true }` for `pageshow`). */
  dispatch(type: string, event?: object): void;
  listeners(): number;
  visibilityState: DocumentLike['visibilityState'];
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

/** One simulated tab: its client and the knobs a person (or the browser) would turn. */
export interface SimulatedTab {
  client: SessionClient;
  document: CountingTarget;
  window: CountingTarget;
  /** The person does something in this tab (passes the activity throttle). */
  act(): void;
  hide(): void;
  /**
   * Shows the tab; a frozen one is resumed first, and its throttling ends (see `throttle`),
   * as a browser does.
   */
  show(): void;
  /**
   * Background-tab throttling of this tab alone: its timers fire no sooner than `ms` after
   * they were set (`0` turns it off; so does `show()`).
   */
  throttle(ms: number): void;
  /**
   * Freezes the tab (Page Lifecycle), as a browser does to a hidden one: hides it if it is
   * visible, dispatches `freeze` on its document, and from then on it runs nothing. Its
   * timers do not fire, and channel messages, DOM events dispatched to it, answers to its
   * requests and the callbacks of locks granted to it wait for `resume()`. It keeps its
   * place in the leader election and its locks.
   */
  freeze(): void;
  /**
   * Resumes a frozen tab: dispatches `resume` on its document, then what waited runs in
   * order: the events dispatched to it, its overdue timers, and (asynchronously, as every
   * delivery) its channel messages, request answers and lock callbacks.
   */
  resume(): void;
  /**
   * Closes the tab: destroys its client and, as a browser does, releases every Web Lock the
   * tab holds and drops every lock request it queued, at once.
   */
  close(): void;
}

/**
 * A simulated browser: one clock, one channel hub, one lock manager for all of its tabs,
 * each tab with its own view of them (`forTab()`), so one tab can be throttled, frozen or
 * closed alone.
 */
export interface SimulatedBrowser {
  /** The page's address: each tab's `client.fetch()` resolves relative URLs against it. */
  url: string;
  clock: VirtualClock;
  hub: MemoryHub;
  locks: FakeLocks;
  openTab(options?: SessionClientOptions): SimulatedTab;
}

/** Options of `createSimulatedBrowser()`: client options for every tab, and the browser's own. */
export interface SimulatedBrowserOptions extends SessionClientOptions {
  clock?: VirtualClock;
  /**
   * The page's address, which relative URLs given to a tab's `client.fetch()` resolve
   * against (Node has no `location` to do it). Default the global `location` where there
   * is one (a DOM test environment), else `http://app.test/`. Where there is one, it must
   * be on its origin: the client compares requests with it to tell the page's own.
   */
  url?: string;
}

/**
 * Makes a simulated browser whose tabs run real clients over an in-memory channel, fake
 * locks and a virtual clock. Pass the app's (or a fake server's) `fetch`.
 */
export function createSimulatedBrowser(base: SimulatedBrowserOptions = {}): SimulatedBrowser {
  const page = globalThis.location as Location | undefined;
  const { clock = createVirtualClock(), url = page?.href ?? 'http://app.test/', ...shared } = base;
  if (!URL.canParse(url)) {
    throw new TypeError(`Lifeline testing: option "url" must be an absolute URL, got ${url}`);
  }
  const { origin } = new URL(url);
  if (page && origin !== page.origin)
    throw new TypeError(
      `Lifeline testing: url ${url} is not on the origin of location, ${page.origin}`,
    );
  const hub = createMemoryHub();
  const locks = createFakeLocks();
  let tabs = 0;
  /**
   * A relative URL resolved against the page, as `new Request()` does in a browser. One
   * that cannot be goes as given: the client's `fetch` then rejects as a browser's would.
   */
  const at = (input: RequestInfo | URL) => {
    try {
      return isRequest(input) ? input : new URL(input, url).href;
    } catch {
      return input;
    }
  };
  /** The origin `input` goes to, or `null` when it has none. */
  const originOf = (input: RequestInfo | URL) => {
    try {
      return new URL(isRequest(input) ? input.url : input, url).origin;
    } catch {
      return null;
    }
  };
  return {
    url,
    clock,
    hub,
    locks,
    openTab(options = {}) {
      const timers = clock.forTab();
      const channels = hub.forTab();
      const tabLocks = locks.forTab();
      let frozen = false;
      /** What a frozen tab would have run, in order: it runs on resume. */
      const held: Array<() => void> = [];
      /** The target, holding what is dispatched to it while the tab is frozen. */
      const gated = (target: CountingTarget): CountingTarget => ({
        ...target,
        dispatch: (type, event) => {
          if (frozen) held.push(() => target.dispatch(type, event));
          else target.dispatch(type, event);
        },
      });
      const ownDocument = createCountingTarget();
      const document = gated(ownDocument);
      const window = gated(createCountingTarget());
      const given = { ...shared, ...options };
      // None given: the global one, read at call time, as the client's own default (a
      // test's stub or a mock service worker answers it).
      const { fetch = (input, init) => globalThis.fetch(input, init) } = given;
      /** The page's fetch: relative URLs resolved, as a browser does; a frozen tab waits. */
      const tabFetch: typeof globalThis.fetch | undefined =
        typeof fetch === 'function'
          ? async (input, init) => {
              try {
                return await fetch(at(input), init);
              } finally {
                // A frozen tab runs nothing: the answer waits for it, as its task would.
                if (frozen) await new Promise<void>((resume) => held.push(resume));
              }
            }
          : undefined;
      const core = createClientCore({
        now: clock.now,
        timers: timers.timers,
        channel: channels.channel,
        locks: {
          // A lock granted while the tab is frozen is held, but its callback waits to run.
          request: (name, lockOptions, callback) =>
            tabLocks.request(name, lockOptions, async () => {
              if (frozen) await new Promise<void>((resume) => held.push(resume));
              return callback();
            }),
        },
        tabId: `tab-${++tabs}`,
        document,
        window,
        ...given,
        // (A `fetch` that is no function goes as given: the client refuses it.)
        fetch: tabFetch ?? fetch,
      });
      const client: SessionClient = {
        ...core,
        // Node has no `location` by which the client tells the page's own requests: one to
        // another origin passes untouched here, as the client passes it in a browser.
        fetch: (input, init) =>
          !page && base.url !== undefined && tabFetch && originOf(input) !== origin
            ? tabFetch(input, init)
            : core.fetch(at(input), init),
      };
      const visibility = (state: DocumentVisibilityState) => {
        document.visibilityState = state;
        document.dispatch('visibilitychange');
      };
      const resume = () => {
        if (!frozen) return;
        frozen = false;
        ownDocument.dispatch('resume');
        for (const task of held.splice(0)) task();
        timers.resume();
        channels.resume();
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
        // A visible tab is not throttled: its overdue timers fire at once.
        show: () => {
          resume();
          visibility('visible');
          timers.throttle(0);
        },
        throttle: timers.throttle,
        freeze: () => {
          if (frozen) return;
          if (document.visibilityState === 'visible') visibility('hidden');
          ownDocument.dispatch('freeze');
          frozen = true;
          timers.freeze();
          channels.freeze();
        },
        resume,
        close: () => {
          held.length = 0;
          client.destroy();
          tabLocks.close();
        },
      };
    },
  };
}

/**
 * Lets queued promises and channel deliveries run (several rounds, as fetches chain).
 * Promise rounds, not a macrotask, so fake timers can never make it hang. A request to the
 * fake server and its cross-tab news take about 15 rounds under Node's own `Response`
 * (fewer under happy-dom's): the default leaves room for several in a row.
 */
export async function flush(rounds = 50): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}
