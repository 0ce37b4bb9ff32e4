import type { SessionClient, SessionEvent, SessionSnapshot } from '../types.js';
import { announceStep, formatClock, secondsLeft, spokenTime } from './countdown.js';
import { type DialogStrings, defaultStrings } from './strings.js';
import { applyStyles, type StyleOptions } from './styles.js';
import { buildView } from './view.js';

/** The part of the session client the dialog needs (a fake with these works in tests). */
export type DialogClient = Pick<
  SessionClient,
  'getSnapshot' | 'subscribe' | 'on' | 'extend' | 'logout' | 'reauthenticate'
>;

/** Options of `mountWarningDialog()`. */
export interface WarningDialogOptions extends StyleOptions {
  /** Words to replace; the rest stay English. Default {@link defaultStrings}. */
  strings?: Partial<DialogStrings>;
  /** Where "Sign in again" leads; `returnTo` is added with the current path. Default `'/'`. */
  signInUrl?: string;
  /** Language of the spoken time. Default the page's `lang`, else the browser's. */
  lang?: string;
  /** Clock for the countdown, epoch ms. Default `Date.now()`. */
  now?: () => number;
}

type Mode = 'idle' | 'absolute' | 'ended';

/**
 * Mounts the session warning dialog: it opens by itself before the idle or absolute
 * deadline in every tab, offers "Stay signed in" (Escape does the same), counts down, and
 * turns an ended session into a calm "You have been signed out" with a way back.
 * Returns the unmount function.
 *
 * @example
 * const unmount = mountWarningDialog(client, { signInUrl: '/login' });
 */
export function mountWarningDialog(
  client: DialogClient,
  options: WarningDialogOptions = {},
): () => void {
  const { signInUrl = '/', now = Date.now } = options;
  const doc = document;
  const t: DialogStrings = { ...defaultStrings, ...options.strings };
  const [dialog, title, body, clock, live, secondary, primary, link] = buildView(doc);
  const removeStyles = applyStyles(doc, options);
  doc.body.append(dialog);
  const texts = {
    idle: [t.idleTitle, t.idleBody, t.stay, t.signOut],
    absolute: [t.absoluteTitle, t.absoluteBody, t.reauth, t.saveWork],
    ended: [t.endedTitle, '', t.signIn, t.close],
  };

  let mode: Mode | null = null;
  let deadline = 0;
  let dismissed = 0;
  // Only a session this page saw alive can "end": a page opened after the end (the sign-in
  // page the notice links to) must not greet the person with the notice again.
  let seenLive = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let spokenStep = -1;

  const signInHref = () => {
    const { href, pathname, search, hash } = doc.location;
    const url = new URL(signInUrl, href);
    // The hash can hold tokens (OAuth fragments): it goes only to a same-origin sign-in page.
    const own = url.origin === new URL(href).origin;
    url.searchParams.set('returnTo', pathname + search + (own ? hash : ''));
    return url.href;
  };

  const tick = () => {
    const secs = secondsLeft(deadline, now());
    clock.textContent = formatClock(secs);
    if (announceStep(secs) !== spokenStep) {
      spokenStep = announceStep(secs);
      const lang = options.lang ?? (doc.documentElement.lang || undefined);
      live.textContent = t.announce.replace('{time}', spokenTime(secs, lang));
    }
    if (secs) timer = setTimeout(tick, (deadline - now()) % 1000 || 1000);
  };

  const close = () => {
    clearTimeout(timer);
    mode = null;
    if (dialog.open) dialog.close();
  };

  const open = (next: Mode, text?: string) => {
    const changed = next !== mode;
    const ended = next === 'ended';
    const [heading, words, action, other] = texts[next];
    mode = next;
    dialog.dataset.mode = next;
    title.textContent = heading as string;
    body.textContent = text ?? (words as string);
    secondary.textContent = other as string;
    (ended ? link : primary).textContent = action as string;
    clock.hidden = primary.hidden = ended;
    link.hidden = !ended;
    link.href = signInHref();
    clearTimeout(timer);
    // A new warning is spoken at once; a refreshed snapshot of the same one is not.
    if (changed) {
      live.textContent = '';
      spokenStep = -1;
    }
    if (!ended) tick();
    // The browser gives focus back to where it was when a modal dialog closes.
    if (!dialog.open) dialog.showModal();
    if (changed) (ended ? link : primary).focus();
  };

  const render = (s: SessionSnapshot) => {
    if (s.state === 'active' || s.state === 'warning') seenLive = true;
    const limit = s.state === 'warning' && s.warning;
    if (limit) {
      deadline = (limit === 'idle' ? s.idleExpiresAt : s.absoluteExpiresAt) ?? now();
      // "Save my work first" holds for this deadline; a new clock sample may move its local
      // reading by a few ms, a new session's deadline moves by far more than a second.
      if (limit === 'idle' || Math.abs(dismissed - deadline) > 1000) return open(limit);
    }
    if (limit || mode !== 'ended' || s.state === 'active') close();
  };

  const ended = (e: SessionEvent) => {
    if (!seenLive || (e.type === 'signed-out' && e.local)) return;
    seenLive = false;
    const reason = 'reason' in e ? e.reason : '';
    open(
      'ended',
      {
        'idle-timeout': t.endedIdle,
        'absolute-timeout': t.endedAbsolute,
        'logged-out': t.endedLoggedOut,
      }[reason as string] ?? t.endedOther,
    );
  };

  // Escape (or a close the browser forces) means "stay": extend, or keep working.
  const stay = () => {
    if (mode === 'idle') return void client.extend().catch(() => {});
    if (mode === 'absolute') dismissed = deadline;
    close();
  };
  dialog.oncancel = (e) => {
    e.preventDefault();
    stay();
  };
  // Browsers fire `close` as a later task: a dialog reopened meanwhile is not a "stay".
  dialog.onclose = () => {
    if (mode && !dialog.open) stay();
  };
  primary.onclick = async () => {
    if (mode === 'idle') return stay();
    const fresh =
      client.getSnapshot().canReauth && (await client.reauthenticate().catch(() => false));
    if (!fresh) doc.location.assign(signInHref());
  };
  secondary.onclick = () => (mode === 'idle' ? void client.logout().catch(() => {}) : stay());

  const stops = [
    client.subscribe(() => render(client.getSnapshot())),
    client.on('expired', ended),
    client.on('signed-out', ended),
  ];
  render(client.getSnapshot());

  return () => {
    for (const stop of stops) stop();
    close();
    dialog.remove();
    removeStyles();
  };
}
