// @vitest-environment node

import { expect, it } from 'vitest';
import { createFakeLocks } from './index.js';

// Web Locks, "request a lock": when the callback's promise settles, the lock is released
// *and then* the promise `request()` returned is resolved with it. So once an app's
// `await navigator.locks.request(...)` returns, the lock is free; `active()` ("locks held
// or waited for right now") should say so.
it('once request() has resolved, its lock is released (active() is 0)', async () => {
  const locks = createFakeLocks();
  const tab = locks.forTab();
  const result = await tab.request('lifeline:reauth', {}, async () => 'done');
  expect(result).toBe('done');
  expect(locks.active()).toBe(0); // it used to be: 1, released only a microtask after
});
