import type { SessionClient } from '@lifeline/client';
import { byId } from './dom.js';
import { isLive } from './live.js';
import { signInRequested } from './signin.js';

/**
 * The page frame: which view shows (sign-in or the app), who is signed in, whether this
 * tab leads, and the header buttons. `body[data-session]` mirrors the state for tests.
 */
export function mountShell(client: SessionClient): { render(): void } {
  const signedIn = byId('signed-in');
  const signedOut = byId('signed-out');
  const role = byId('tab-role');
  const user = byId('user');
  const signOut = byId<HTMLButtonElement>('sign-out');
  const state = byId('state');

  let shown: 'app' | 'sign-in' | null = null;
  const render = () => {
    const s = client.getSnapshot();
    const live = isLive(s);
    // A live session still shows the sign-in form when a sign-in link asked for it.
    const app = live && !signInRequested();
    document.body.dataset.session = s.state;
    signedIn.hidden = !app;
    signedOut.hidden = app || s.state === 'unknown';
    signOut.hidden = user.hidden = !live;
    const name = s.user && typeof s.user.name === 'string' ? s.user.name : 'demo';
    user.textContent = `Signed in as ${name}`;
    role.textContent = s.isLeader ? 'Leader tab' : 'Follower tab';
    role.className = `pill ${s.isLeader ? 'leader' : 'follower'}`;
    role.dataset.leader = String(s.isLeader);
    state.textContent = s.warning ? `warning: ${s.warning} limit` : s.state;
    state.className = `pill ${s.state}`;
    const view = app ? 'app' : signedOut.hidden ? null : 'sign-in';
    const before = shown;
    shown = view;
    if (before !== null && view !== null && view !== before) keepFocus(() => shown);
  };
  client.subscribe(render);
  render();

  byId('open-tab').addEventListener('click', () => {
    window.open(`${location.pathname}${location.hash}`, '_blank');
  });
  // The claim form discards its draft on the `signed-out` event, wherever the sign-out began.
  signOut.addEventListener('click', () => void client.logout());
  return { render };
}

/**
 * When the view switches under the focus (the sign-in button once signed in, "Sign out"
 * once signed out), the focused element is hidden and focus falls to `<body>`: a keyboard
 * or screen-reader user is left at the top of nothing. Focus the shown view's heading
 * instead. Focus anywhere else (another field) stays where it is.
 */
function keepFocus(view: () => 'app' | 'sign-in' | null): void {
  const active = document.activeElement;
  // In an open dialog (the warning, the signed-out notice) the focus is not lost yet: when
  // the dialog closes, the browser gives it back to where it was before, which may be in
  // the view just hidden. Look again then (`close` fires after that hand-back).
  const dialog = active?.closest('dialog[open]');
  if (dialog) {
    dialog.addEventListener('close', () => keepFocus(view), { once: true });
    return;
  }
  // A closed dialog still holds the focus until the browser's next focus fixup.
  const gone = active?.closest('[hidden], dialog:not([open])');
  const lost = active === null || active === document.body || Boolean(gone);
  const shown = view();
  if (!lost || shown === null) return;
  byId(shown === 'app' ? 'timeline-title' : 'signin-title').focus();
}
