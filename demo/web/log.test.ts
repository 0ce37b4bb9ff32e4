// @vitest-environment happy-dom
import type { SessionClient } from '@lifeline/client';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { mountLog } from './log.js';

const T0 = Date.UTC(2030, 0, 1);
let served: { at: number; type: string; source: string }[] = [];
let fetched = 0;

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
  document.body.innerHTML = '<ol id="log"></ol>';
  fetched = 0;
  vi.stubGlobal('fetch', async () => {
    fetched++;
    return Response.json({ events: served });
  });
});

/** A client double in `state`, whose listeners the test can call. */
function fakeClient(state: string) {
  const subscribers = new Set<() => void>();
  const handlers = new Map<string, (e: unknown) => void>();
  const client = {
    getSnapshot: () => ({ state }),
    subscribe(fn: () => void) {
      subscribers.add(fn);
      return () => subscribers.delete(fn);
    },
    on(type: string, fn: (e: unknown) => void) {
      handlers.set(type, fn);
      return () => handlers.delete(type);
    },
  };
  return {
    client: client as unknown as SessionClient,
    setState(next: string) {
      state = next;
      for (const fn of subscribers) fn();
    },
    emit: (type: string, e: object) => handlers.get(type)?.({ type, ...e }),
  };
}
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const shown = () =>
  [...document.querySelectorAll('#log li .type')].map((cell) => cell.textContent).reverse();

it('shows every server event of one millisecond, in one poll and across polls', async () => {
  const at = T0 - 1_000;
  served = [
    { at, type: 'created', source: 'session' },
    { at, type: 'issued', source: 'remember' },
  ];
  mountLog(fakeClient('active').client);
  await vi.advanceTimersByTimeAsync(0);
  expect(shown()).toEqual(['created', 'issued']);
  // The next poll lists them again, with one more of that millisecond and a later one.
  served = [
    ...served,
    { at, type: 'rotated', source: 'session' },
    { at: at + 1, type: 'extended', source: 'session' },
  ];
  await vi.advanceTimersByTimeAsync(3_000);
  expect(shown()).toEqual(['created', 'issued', 'rotated', 'extended']);
  await vi.advanceTimersByTimeAsync(3_000);
  expect(shown()).toHaveLength(4);
});

it('asks the server for events only while a session is live: /api/events answers 401 without one', async () => {
  const tab = fakeClient('signed-out');
  mountLog(tab.client);
  await vi.advanceTimersByTimeAsync(10_000);
  expect(fetched).toBe(0);
  tab.setState('active');
  await vi.advanceTimersByTimeAsync(0);
  expect(fetched).toBe(1);
  tab.setState('expired');
  await vi.advanceTimersByTimeAsync(10_000);
  expect(fetched).toBe(1);
});

it('lists rows newest first by when they happened, also when server events arrive later', async () => {
  const tab = fakeClient('active');
  served = [];
  mountLog(tab.client);
  await vi.advanceTimersByTimeAsync(0);
  tab.emit('leadership', { isLeader: true, local: true, tabId: 'abcd', trigger: 'status' });
  // The next poll brings what the server logged before that client event, and after it.
  served = [
    { at: T0 - 2_000, type: 'created', source: 'session' },
    { at: T0 + 1_000, type: 'extended', source: 'session' },
  ];
  await vi.advanceTimersByTimeAsync(3_000);
  expect(shown()).toEqual(['created', 'leadership', 'extended']);
});
