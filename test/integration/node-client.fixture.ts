import { createClientCore, type SessionClient } from '@lifeline/client';
import type { VirtualClock } from '@lifeline/client/testing';

/**
 * A session client as a page would make it, run in Node: no DOM, no activity tracking, no
 * other tabs, and the test's clock and timers.
 */
export function nodeClient(
  endpoint: string,
  fetch: typeof globalThis.fetch,
  clock: VirtualClock,
): SessionClient {
  return createClientCore({
    endpoint,
    fetch,
    now: clock.now,
    timers: clock.timers,
    document: null,
    window: null,
    activity: false,
    channel: null,
    locks: null,
  });
}
