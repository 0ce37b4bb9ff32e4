import type { ResolvedOptions } from './options.js';

export interface EnvironmentHandlers {
  /** Throttled user activity in this tab. */
  activity(): void;
  /** The tab may have slept, been throttled or hidden: re-evaluate the deadlines. */
  wake(): void;
  /** The page may have missed anything (bfcache restore, frozen tab resumed, back online): ask the server. */
  revalidate(): void;
}

/**
 * Attaches the DOM listeners: passive, capturing activity listeners doing constant work per
 * event, and the wake-up signals. Returns the detach function, which removes every one.
 */
export function attachEnvironment(o: ResolvedOptions, h: EnvironmentHandlers): () => void {
  const detach: Array<() => void> = [];
  const listen = (
    target: ResolvedOptions['window'],
    type: string,
    fn: () => void,
    opts?: AddEventListenerOptions,
  ) => {
    if (!target) return;
    target.addEventListener(type, fn, opts);
    detach.push(() => target.removeEventListener(type, fn, opts));
  };
  if (o.activity) {
    const { events, target, throttle } = o.activity;
    let last = Number.NEGATIVE_INFINITY;
    const onActivity = () => {
      const t = o.now();
      if (t - last < throttle) return;
      last = t;
      h.activity();
    };
    const opts = { passive: true, capture: true };
    for (const type of events) listen(target, type, onActivity, opts);
  }
  const doc = o.document;
  // Becoming visible is activity (the person came back); becoming hidden only re-evaluates.
  listen(doc, 'visibilitychange', () => {
    if (doc?.visibilityState === 'visible') h.activity();
    h.wake();
  });
  listen(doc, 'resume', h.revalidate);
  listen(o.window, 'focus', h.wake);
  listen(o.window, 'pageshow', h.revalidate);
  listen(o.window, 'online', h.revalidate);
  return () => {
    for (const off of detach.splice(0)) off();
  };
}
