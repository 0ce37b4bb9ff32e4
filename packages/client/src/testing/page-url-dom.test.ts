import { expect, it } from 'vitest';
import { createSimulatedBrowser } from './index.js';

// In a DOM test environment the client compares requests with the global `location`.
it('takes the page address from location, and refuses one on another origin', () => {
  expect(createSimulatedBrowser().url).toBe(location.href);
  expect(createSimulatedBrowser({ url: new URL('/shop/', location.href).href }).url).toMatch(
    /\/shop\/$/,
  );
  expect(() => createSimulatedBrowser({ url: 'https://elsewhere.example/' })).toThrow(/origin/);
});
