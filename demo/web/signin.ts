import type { SessionClient } from '@lifeline/client';
import { SIGN_IN_AGAIN_NOTE, safeReturnTo } from '../shared/return-to.js';
import { byId } from './dom.js';
import { isLive } from './live.js';

/**
 * A sign-in link ("Sign in again" in the dialog, which adds `returnTo`) led to this page:
 * the form shows even over a live session, because only a new sign-in moves the absolute
 * deadline. Signing in drops the parameter.
 */
export const signInRequested = () => new URLSearchParams(location.search).has('returnTo');

const NOTES: Record<string, string> = {
  'idle-timeout': 'You were signed out after a period of inactivity. Your draft is saved.',
  'absolute-timeout': 'Your session reached its maximum length. Your draft is saved.',
  'logged-out': 'You signed out.',
  revoked: 'Your session was ended from another device. Your draft is saved.',
};
const ENDED = 'Your session ended. Your draft is saved.';

/**
 * The sign-in form: posts JSON to `/login`, then asks the client to re-read the session so
 * every tab learns at once, and goes back to the page the sign-out notice came from.
 */
export function mountSignIn(client: SessionClient, onSignedIn: () => void): void {
  const form = byId<HTMLFormElement>('signin-form');
  const error = byId('signin-error');
  const note = byId('signin-note');
  /** Drops `returnTo`: back to the page the sign-out notice came from. */
  const dropReturnTo = () => {
    const url = new URL(location.href);
    const back = safeReturnTo(url.searchParams.get('returnTo'));
    history.replaceState(null, '', back ?? `${url.pathname}${url.hash}`);
  };
  // Whether the session was live when this page first knew: a form a sign-in link opened
  // over a live session (the absolute warning's) stays until the person signs in here; one
  // opened while signed out goes as soon as any tab signs in, as the notice does elsewhere.
  let openedLive: boolean | undefined;
  // The live session's absolute deadline when the form opened: a new one is a sign-in elsewhere.
  let openedAbsolute: number | null = null;
  client.subscribe(() => {
    const s = client.getSnapshot();
    const { lastReason: reason, state } = s;
    const live = isLive(s);
    if (state !== 'unknown') openedLive ??= live;
    if (openedLive && live) openedAbsolute ??= s.absoluteExpiresAt;
    // By more than the snapshot's own wobble: its deadlines are on this tab's clock, and
    // each new estimate of the server's offset moves them by a few ms. A sign-in moves the
    // absolute deadline by the session's age, at least the warning's 20 s here.
    const later =
      s.absoluteExpiresAt !== null &&
      openedAbsolute !== null &&
      s.absoluteExpiresAt > openedAbsolute + 10_000;
    const signedInElsewhere = openedLive === false || later;
    if (live && signedInElsewhere && signInRequested()) {
      dropReturnTo();
      onSignedIn();
    }
    // An expiry keeps the draft whatever the reason, also one without a note of its own
    // (`missing`: the server no longer knows the session, e.g. it restarted).
    const ended = state === 'expired' ? ENDED : '';
    note.textContent = live ? SIGN_IN_AGAIN_NOTE : ((reason && NOTES[reason]) ?? ended);
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    const data = new FormData(form);
    const res = await fetch('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        username: data.get('username'),
        password: data.get('password'),
        remember: data.get('remember') === 'on',
      }),
    }).catch(() => null);
    if (!res?.ok) {
      error.textContent =
        res?.status === 401 ? 'Wrong username or password.' : 'Could not sign in. Try again.';
      return;
    }
    form.reset();
    // First, so the refresh's news does not show the signed-in page a second time.
    dropReturnTo();
    await client.refresh();
    onSignedIn();
  });
}
