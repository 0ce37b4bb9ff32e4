import { createSessionClient } from '@lifeline/client';
import { mountWarningDialog } from '@lifeline/client/dialog';

// One client per tab; the tabs find each other and elect a leader by themselves.
export const client = createSessionClient({ endpoint: '/session', warnBefore: 120_000 });
mountWarningDialog(client, { signInUrl: '/login' });

// The session ended on its own (why: idle-timeout, absolute-timeout, revoked, missing);
// a sign-out is 'signed-out'. Save what the person typed before the page shows it.
client.on('expired', (event) => {
  sessionStorage.setItem('draft', JSON.stringify({ reason: event.reason, at: Date.now() }));
});

// Use client.fetch for the app's API: it slides deadlines from every response and
// silently re-authenticates once on a 401 session problem, then replays the request.
export async function addToCart(item: string): Promise<Response> {
  return client.fetch('/api/cart', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ item }),
  });
}
