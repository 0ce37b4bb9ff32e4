import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * axe-core's browser bundle, to run in a page with `page.evaluate(AXE_SOURCE)`: evaluated
 * through the DevTools protocol, so the page's CSP allows it.
 */
export const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);
