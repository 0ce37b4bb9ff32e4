import { createSessionClient } from '@lifeline/client';
import { mountWarningDialog } from '@lifeline/client/dialog';

// One client per tab; the tabs find each other and elect a leader by themselves.
export const client = createSessionClient({ endpoint: '/session', warnBefore: 120_000 });
// "Sign in again" opens your sign-in page, with ?returnTo= the page the person was on.
mountWarningDialog(client, { signInUrl: '/sign-in' });

// After a sign-in without a page load, tell the client: this tab shows the new session at
// once, and every other tab with it (otherwise they learn of it at the next poll).
export async function signIn(username: string, password: string): Promise<boolean> {
  const res = await fetch('/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.ok) await client.refresh();
  return res.ok;
}

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
