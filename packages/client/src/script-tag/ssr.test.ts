// @vitest-environment node
import { expect, it } from 'vitest';

it('does nothing when imported on a server (no document), as a page rendered there may', async () => {
  expect(typeof (globalThis as { document?: unknown }).document).toBe('undefined');
  await import('./index.js');
  expect('Lifeline' in globalThis).toBe(false);
});
