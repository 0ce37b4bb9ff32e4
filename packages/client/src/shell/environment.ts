import type { Action } from '../core/types.js';
import type { ResolvedOptions } from './options.js';

/**
 * Attaches the DOM listeners: passive, capturing activity listeners doing constant work per
 * event, and the wake-up signals (re-evaluate the deadlines, or ask the server when the
 * page may have missed anything: bfcache restore, frozen tab resumed, back online).
 * Returns the detach function, which removes every one.
 */
export function attachEnvironment(
  o: ResolvedOptions,
  dispatch: (action: Action) => void,
  revalidate: () => void,
): () => void {
  const detach: Array<() => void> = [];
  const listen = (
    target: ResolvedOptions['window'],
    type: string,
    fn: () => void,
    opts?: AddEventListenerOptions,
  ) => {
    target?.addEventListener(type, fn, opts);
    detach.push(() => target?.removeEventListener(type, fn, opts));
  };
  const activity = () => dispatch({ type: 'activity' });
  const wake = () => dispatch({ type: 'tick', trigger: 'wake' });
  if (o.activity) {
    const { events, target, throttle } = o.activity;
    let last = Number.NEGATIVE_INFINITY;
    const onActivity = () => {
      const t = o.now();
      if (t - last < throttle) return;
      last = t;
      activity();
    };
    for (const type of events) listen(target, type, onActivity, { passive: true, capture: true });
  }
  const doc = o.document;
  // Becoming visible is activity (the person came back); becoming hidden only re-evaluates.
  listen(doc, 'visibilitychange', () => {
    if (doc?.visibilityState === 'visible') activity();
    wake();
  });
  listen(doc, 'resume', revalidate);
  listen(o.window, 'focus', wake);
  listen(o.window, 'pageshow', revalidate);
  listen(o.window, 'online', revalidate);
  return () => {
    for (const off of detach.splice(0)) off();
  };
}
