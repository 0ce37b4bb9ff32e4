// @vitest-environment node
import { expect, it } from 'vitest';

it('imports and starts on a server (no window) without touching the DOM or throwing', async () => {
  expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined');
  const { createSessionClient } = await import('./index.js');
  const calls: string[] = [];
  const client = createSessionClient({
    fetch: async (input) => {
      calls.push(String(input));
      return new Response('{}', { status: 503 });
    },
  });
  expect(client.getSnapshot().state).toBe('unknown');
  expect(calls).toEqual(['/session/status']);
  client.destroy();
});
