import type { SessionStatus } from '@lifeline/server';
import { SIGN_IN_AGAIN_NOTE } from '../shared/return-to.js';

/** What the page needs to render. */
export interface PageModel {
  status: SessionStatus;
  /** Shown above the sign-in form, e.g. after wrong credentials. */
  error?: string;
  /** Where the sign-in form goes back to (a checked same-origin path), else `/`. */
  returnTo?: string | null;
  /**
   * A sign-in link ("Sign in again", which carries `returnTo`) led here: show the form even
   * over a live session, because only a new sign-in moves the absolute deadline.
   */
  signInAgain?: boolean;
  /** Adds the SDK's script tag when the bundle is served. */
  clientScript: boolean;
  /** The warning lead the script tag asks for (`data-warn-before`, seconds). */
  warnBeforeS: number;
  /** Per-response CSP nonce for the one inline script. */
  nonce: string;
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );

const time = (ms: number) =>
  `<time datetime="${new Date(ms).toISOString()}">${new Date(ms).toISOString()}</time>`;

function signInForm(model: PageModel, again: boolean): string {
  const { error, returnTo } = model;
  return `<h1>Sign in</h1>
${again ? `<p role="status">${SIGN_IN_AGAIN_NOTE}</p>` : ''}
${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/login">
  ${returnTo ? `<input type="hidden" name="returnTo" value="${escapeHtml(returnTo)}">` : ''}
  <label>Username <input name="username" autocomplete="username" required></label>
  <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
  <label><input name="remember" type="checkbox" value="on"> Remember me</label>
  <button>Sign in</button>
</form>
<p>The demo account is <code>demo</code> / <code>demo</code>.</p>
${again ? '' : signedInElsewhere(model.nonce)}`;
}

/**
 * The plain sign-in form goes to where it would have led once the session is live (signed
 * in in another tab; the tag's client hears of it). Not on the sign-in-again form, which is
 * shown over a live session on purpose.
 */
function signedInElsewhere(nonce: string): string {
  return `<script nonce="${nonce}">
document.addEventListener('DOMContentLoaded', () => {
  const client = window.Lifeline && window.Lifeline.client;
  if (!client) return;
  const stop = client.subscribe(() => {
    const state = client.getSnapshot().state;
    if (state !== 'active' && state !== 'warning') return;
    stop();
    const returnTo = document.querySelector('input[name="returnTo"]');
    location.replace(returnTo ? returnTo.value : '/');
  });
});
</script>`;
}

function signedIn(status: Extract<SessionStatus, { state: 'active' }>, nonce: string): string {
  const name = typeof status.user?.name === 'string' ? status.user.name : 'you';
  return `<h1 id="who">Signed in as ${escapeHtml(name)}</h1>
<dl id="deadlines">
  <dt>Idle deadline</dt><dd>${time(status.idleExpiresAt)}</dd>
  <dt>Absolute deadline</dt><dd>${time(status.absoluteExpiresAt)}</dd>
</dl>
<button id="logout">Sign out</button>
<p id="ended" hidden>Your session has ended. <a href="/plain">Sign in again</a></p>
<script nonce="${nonce}">
// Once the session ends here or in another tab (the tag's client knows), the page must not
// go on saying who is signed in behind the closed notice. Once it is live again (signed in
// in another tab), the page is reloaded: the server renders who and the new deadlines.
document.addEventListener('DOMContentLoaded', () => {
  const client = window.Lifeline && window.Lifeline.client;
  if (!client) return;
  let ended = false;
  client.subscribe(() => {
    const state = client.getSnapshot().state;
    if (ended && (state === 'active' || state === 'warning')) return location.reload();
    if (state !== 'expired' && state !== 'signed-out') return;
    ended = true;
    document.getElementById('who').textContent = 'Signed out';
    document.getElementById('deadlines').hidden = true;
    document.getElementById('logout').hidden = true;
    document.getElementById('ended').hidden = false;
  });
});
document.getElementById('logout').addEventListener('click', async () => {
  // Through the tag's client when it runs: every other tab then hears "signed out" at
  // once, instead of finding the session missing at its next poll.
  const client = window.Lifeline && window.Lifeline.client;
  if (client) await client.logout();
  else await fetch('/session/logout', { method: 'POST', headers: { 'Session-Request': '1' } });
  location.reload();
});
</script>`;
}

/**
 * The demo's page, server-rendered and small: a sign-in form, or who is signed in and the
 * session's deadlines. A Vite-built UI replaces it later; the routes stay the same.
 *
 * @example
 * c.html(renderPage({ status: sessionStatus(c.var.session), clientScript: false, warnBeforeS: 120, nonce }));
 */
export function renderPage(model: PageModel): string {
  const { status, nonce } = model;
  const live = status.state === 'active';
  const again = live && model.signInAgain === true;
  const body = live && !again ? signedIn(status, nonce) : signInForm(model, again);
  // On the sign-in-again form the tag keeps the tabs in step but shows no dialog: its
  // absolute warning would cover the very form it asks for.
  const dialog = again ? ' data-dialog="false"' : '';
  const script = model.clientScript
    ? // "Sign in again" leads to this page's own form, which comes back here after it
      // (the app at / would sign in without leaving itself).
      `<script src="/session/client.js" data-endpoint="/session" data-warn-before="${model.warnBeforeS}" data-sign-in-url="/plain"${dialog} defer></script>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lifeline demo</title>
<link rel="icon" href="data:,">
<style nonce="${nonce}">
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem; }
  label { display: block; margin: 0.5rem 0; }
  [role="alert"] { color: #a40000; }
</style>
${script}
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}
