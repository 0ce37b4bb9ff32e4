import { expect, it } from 'vitest';
import { assertChromium } from './browser.js';

it('fails with an install instruction when Chromium is missing, instead of skipping', () => {
  expect(() => assertChromium('/nonexistent/chromium')).toThrow(/apt-get install chromium/);
});
