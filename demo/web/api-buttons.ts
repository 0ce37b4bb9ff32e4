import type { SessionClient } from '@lifeline/client';
import { byId } from './dom.js';

/**
 * Two API calls through the client's `fetch` wrapper: adding to the cart (protected, slides
 * the session; on an expired session with "remember me" it re-authenticates silently and
 * replays once) and checking notifications (passive: never extends the idle time).
 */
export function mountApiButtons(client: SessionClient): void {
  const result = byId('api-result');
  const show = (text: string) => {
    result.textContent = text;
  };
  byId('add-cart').addEventListener('click', async () => {
    try {
      const res = await client.fetch('/api/cart', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ item: 'Train ticket' }),
      });
      const body = (await res.json()) as { cart?: unknown[] };
      show(res.ok ? `Cart: ${body.cart?.length ?? 0} item(s)` : `Cart failed (${res.status})`);
    } catch {
      show('Your session ended before the cart could be updated.');
    }
  });
  byId('check-notes').addEventListener('click', async () => {
    try {
      const res = await client.fetch('/api/notifications');
      show(
        res.ok
          ? 'Notifications checked (the idle deadline did not move).'
          : `Failed (${res.status})`,
      );
    } catch {
      show('Your session ended.');
    }
  });
}
