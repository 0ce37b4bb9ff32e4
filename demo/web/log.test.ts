// @vitest-environment happy-dom
import type { SessionClient } from '@lifeline/client';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { mountLog } from './log.js';

const T0 = Date.UTC(2030, 0, 1);
let served: { at: number; type: string; source: string }[] = [];

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
  document.body.innerHTML = '<ol id="log"></ol>';
  vi.stubGlobal('fetch', async () => Response.json({ events: served }));
});
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
  mountLog({ on: () => () => {} } as unknown as SessionClient);
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
