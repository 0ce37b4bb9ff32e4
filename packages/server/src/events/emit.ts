import { guardHook } from './hook.js';
import type { SessionEvent, SessionEventHandler } from './types.js';

/** Sends an event to the hook without ever letting the hook fail or stall a request. */
export type Emit = (event: SessionEvent) => void;

/**
 * Wraps the app's `onEvent` hook: synchronous throws and rejected promises are caught (and
 * reported once to `console.error`), and async hooks are not awaited.
 *
 * @example
 * const emit = createEmitter(options.onEvent);
 * emit({ type: 'rotated', at: now, sid, userId });
 */
export function createEmitter(handler: SessionEventHandler | undefined): Emit {
  if (!handler) return () => {};
  return guardHook('onEvent', handler);
}
