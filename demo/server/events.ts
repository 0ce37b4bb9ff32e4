import type { RememberEvent, SessionEvent } from '@lifeline/server';

/** One line of the demo's event log: a session lifecycle event or a remember-me one. */
export type DemoEvent =
  | (SessionEvent & { source: 'session' })
  | (RememberEvent & { source: 'remember' });

/** A bounded, newest-last log of lifecycle events for the page to show. */
export interface EventLog {
  push(event: DemoEvent): void;
  /** Oldest first; a copy. */
  list(): DemoEvent[];
}

/**
 * A ring buffer of the last `capacity` events (default 200), so a long-running demo
 * keeps constant memory. Events carry hashed ids only, never a token.
 *
 * @example
 * const log = eventLog();
 * session({ onEvent: (e) => log.push({ ...e, source: 'session' }) });
 */
export function eventLog(capacity = 200): EventLog {
  const slots: DemoEvent[] = [];
  let next = 0;
  return {
    push(event) {
      if (slots.length < capacity) slots.push(event);
      else slots[next] = event;
      next = (next + 1) % capacity;
    },
    list() {
      return slots.length < capacity ? [...slots] : [...slots.slice(next), ...slots.slice(0, next)];
    },
  };
}
