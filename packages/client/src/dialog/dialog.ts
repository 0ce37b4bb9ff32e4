import { defaultNow } from '../shell/clock.js';
import type { SessionClient, SessionEvent } from '../types.js';
import { checkSignInUrl } from './sign-in-url.js';
import { type DialogStrings, defaultStrings } from './strings.js';
import { DIALOG_CSS, type StyleOptions } from './styles.js';

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
  /** Clock for the countdown, epoch ms. Default the client's default clock (see `now`). */
  now?: () => number;
}

type Mode = 'idle' | 'absolute' | 'ended';
/** The storage key of the deadline "Save my work first" was chosen for. */
const DISMISSED = 'lifeline-dismissed';
type El = HTMLElement;
/** dialog, title, body, clock, live region, actions, secondary, primary, link */
type Parts = [HTMLDialogElement, El, El, El, El, El, El, El, HTMLAnchorElement];
type EndEvent = Extract<SessionEvent, { type: 'expired' | 'signed-out' }>;

/**
 * Mounts the session warning dialog: it opens by itself before the idle or absolute
 * deadline in every tab, offers "Stay signed in" (Escape does the same), counts down, and
 * turns an ended session into a calm "You have been signed out" with a way back.
 * Returns the unmount function.
 *
 * @example
 * const unmount = mountWarningDialog(client, { signInUrl: '/login' });
 */
export const mountWarningDialog = (
  client: DialogClient,
  options: WarningDialogOptions = {},
): (() => void) => {
  // On a server (a module that mounts at its top level, rendered there) there is nothing
  // to mount, as the client there does nothing.
  if (typeof document > 'u') return () => {};
  // A misspelt option (`signinUrl`) would leave its default in force. Checked as the client
  // checks its own: keys of the object itself (not a polyfill's on Object.prototype), and a
  // key left `undefined` is no option given.
  for (const [k, v] of Object.entries(options)) {
    if (v !== undefined && !/^(strings|signInUrl|lang|now|injectStyles|nonce)$/.test(k)) {
      throw new TypeError(`Lifeline: option "${k}" is not an option`);
    }
  }
  // The snapshot's deadlines are on the client's clock, which a clock set back leaves ahead.
  const { now = defaultNow, injectStyles = true, nonce } = options;
  const signInUrl = checkSignInUrl(options.signInUrl ?? '/', 'option "signInUrl"');
  // A translation missing from an app's catalogue (`undefined`, '', blank) stays English: a
  // blank button has no accessible name.
  const t: DialogStrings = { ...defaultStrings };
  for (const k in options.strings) {
    const text = options.strings[k as 'stay'];
    if (text?.trim?.()) t[k as 'stay'] = text;
  }
  const doc = document;

  // A native modal <dialog> announced as an alert dialog, labelled by its title and
  // described by its body plus the spoken time. The clock is a `timer` (never announced on
  // its own); the visually hidden live region speaks the time in steps.
  //
  // Built one by one, never through `innerHTML`, so Trusted Types have nothing to object to.
  // Each part is `tag classes`; the link stands in for the primary button once the session ended.
  const [dialog, title, body, clock, live, actions, secondary, primary, link] = [
    'dialog lifeline-dialog',
    'h2 lifeline-title',
    'p lifeline-body',
    'p lifeline-clock',
    'p lifeline-sr',
    'div lifeline-actions',
    'button lifeline-button lifeline-secondary',
    'button lifeline-button lifeline-primary',
    'a lifeline-button lifeline-primary',
  ].map((part) => {
    const [tag, ...classes] = part.split(' ');
    const node = doc.createElement(tag!);
    node.className = classes.join(' ');
    // The last class doubles as the id the ARIA references below need (one dialog a page).
    node.id = classes.pop()!;
    return node;
  }) as Parts;
  dialog.setAttribute('role', 'alertdialog');
  dialog.setAttribute('aria-labelledby', 'lifeline-title');
  dialog.setAttribute('aria-describedby', 'lifeline-body lifeline-sr');
  clock.setAttribute('role', 'timer');
  // Focus can rest on the title (below) without putting it in the tab order.
  title.tabIndex = -1;
  live.setAttribute('aria-live', 'polite');
  dialog.append(title, body, clock, live, actions);
  doc.body.append(dialog);
  const labels: Record<Mode, [string, string]> = {
    idle: [t.stay, t.signOut],
    absolute: [t.reauth, t.saveWork],
    ended: [t.signIn, t.close],
  };

  let unstyle: (() => void) | undefined;
  if (injectStyles) {
    // A constructable stylesheet is outside CSP's reach; a <style> needs the nonce.
    if (nonce == null && doc.adoptedStyleSheets) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(DIALOG_CSS);
      doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
      unstyle = () => {
        doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
      };
    } else {
      // Nonce and text first: CSP checks a <style> as it connects. Inside the dialog, so it
      // leaves with it.
      const style = doc.createElement('style');
      if (nonce) style.nonce = nonce;
      style.textContent = DIALOG_CSS;
      dialog.append(style);
    }
  }

  let mode: Mode | undefined;
  let deadline = 0;
  // "Save my work first" holds for its deadline in every tab and after a reload: the choice
  // is kept in the origin's storage, whose `storage` event tells the other tabs. Where
  // storage is refused (a sandboxed frame, a browser setting), in this tab only.
  let dismissed = 0;
  /** Reads the choice kept (`save`: keeps this tab's first). */
  const kept = (save?: boolean) => {
    try {
      if (save) localStorage.setItem(DISMISSED, `${dismissed}`);
      dismissed = +localStorage.getItem(DISMISSED)!;
    } catch {}
  };
  kept();
  /**
   * Whether "Save my work first" holds for the deadline. A new clock sample moves its local
   * reading by up to half a round trip (seconds on a slow first request); a new session's
   * deadline moves by far more than a minute.
   */
  const holds = (at = deadline) => Math.abs(dismissed - at) <= 60_000;
  // A choice made for this session's absolute deadline is kept: another app on the origin
  // (its own `channelName`) writes its deadline under the same key. Against the session's,
  // not the last warning's: a background tab hears the choice before its own timer opens it.
  const heard = (e: StorageEvent) => {
    if (e.key === DISMISSED && !(dismissed && holds(client.getSnapshot().absoluteExpiresAt ?? 0))) {
      kept();
      render();
    }
  };
  // Only a session this page saw alive can "end": a page opened after the end (the sign-in
  // page the notice links to) must not greet the person with the notice again.
  let seenLive = false;
  // This dialog's "Sign out" was pressed, and the session it ends has not ended yet.
  let signingOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let spokenStep = -1;

  /**
   * A page's modal (Headless UI, Radix) marks every other child of <body> inert and hidden
   * while it is open, the warning mounted there among them, when it opens or since: the
   * warning would show with no button to reach, and nothing for a screen reader to say.
   */
  const reachable = () => {
    dialog.inert = false;
    dialog.removeAttribute('aria-hidden');
  };

  const tick = () => {
    // The page swapped its <body> (a framework's root render, Turbo) and took the open
    // dialog with it: show it again in the new one.
    if (!dialog.isConnected) return open(mode!, body.textContent!);
    // And every second, for a page's modal opened over it since (below).
    reachable();
    // The notice has no clock: it only checks each second that it is still in the page.
    if (mode === 'ended') {
      timer = setTimeout(tick, 1000);
      return;
    }
    const left = Math.max(deadline - now(), 0);
    // Rounded up, so 0.2 s left shows 00:01; minutes grow past 59 rather than wrapping.
    const secs = Math.ceil(left / 1000);
    const s = secs % 60;
    const m = (secs - s) / 60;
    clock.textContent = (m < 10 ? '0' : '') + m + (s < 10 ? ':0' : ':') + s;
    // A live region that changed every second would drown out everything else, so the time
    // is spoken in 20-second steps (numbered below zero) and every second in the last 20
    // (WCAG 2.2.1 asks for 20 s to react). Steps compare, never count: a late tick still
    // lands in the right one.
    const step = secs > 20 ? -Math.ceil(secs / 20) : secs;
    // Armed first, so that nothing below can stop the countdown.
    if (secs) timer = setTimeout(tick, left % 1000 || 1000);
    if (step !== spokenStep) {
      spokenStep = step;
      // Units pluralised and translated by the browser's Intl: no unit words to translate.
      const lang = options.lang || doc.documentElement.lang || [];
      const unit = (n: number, unit: string) => {
        const format = { style: 'unit', unit, unitDisplay: 'long' } as const;
        // A page `lang` that is no language tag (`en_US`) makes Intl throw: use the default.
        try {
          return n.toLocaleString(lang, format);
        } catch {
          return n.toLocaleString([], format);
        }
      };
      const time = m ? unit(m, 'minute') + (s ? ` ${unit(s, 'second')}` : '') : unit(s, 'second');
      live.textContent = t.announce.replace('{time}', time);
    }
  };

  const close = () => {
    clearTimeout(timer);
    dialog.close();
  };

  const open = (next: Mode, text: string) => {
    // A new mode, the same one shown again after the dialog closed (a button, or the
    // browser on a second Escape), or a dialog the page took out with its old <body>.
    const changed = next !== mode || !dialog.open || !dialog.isConnected;
    const ended = next === 'ended';
    const main = ended ? link : primary;
    mode = next;
    dialog.dataset.mode = next;
    title.textContent = t[`${next}Title`];
    body.textContent = text;
    [main.textContent, secondary.textContent] = labels[next];
    // The way back to this page, as it is now: "Sign in again" in both the absolute warning
    // and the notice goes there. Relative to the base URL, as a link's href is (in a srcdoc
    // or about:blank frame, location.href is no base at all).
    const url = new URL(signInUrl, document.baseURI);
    // The hash can hold tokens (OAuth fragments): it goes only to a same-origin sign-in page.
    const hash = url.origin === location.origin ? location.hash : '';
    url.searchParams.set('returnTo', location.pathname + location.search + hash);
    link.href = url.href;
    clearTimeout(timer);
    if (changed) {
      // A new warning is spoken at once; a refreshed snapshot of the same one is not.
      live.textContent = '';
      spokenStep = -1;
      // The link and the button swap places: no `hidden` for page CSS to override.
      actions.replaceChildren(secondary, main);
      // Shown afresh, so a screen reader announces the new words (changed words inside an
      // open dialog are not announced), and back in the page if it replaced its <body>
      // (showModal() throws outside the document). The browser gives focus back to where
      // it was when a modal dialog closes.
      dialog.close();
      doc.body.append(dialog);
      reachable();
      dialog.showModal();
      // A warning opens while the person may be typing, and their next key presses the
      // button that has focus. "Stay signed in" may take it (the person is there); in the
      // other modes the title does: a space must not dismiss, in every tab, the absolute
      // warning or the notice before they were read, nor leave the page for the sign-in.
      (mode === 'idle' ? primary : title).focus();
    }
    // The notice has no clock; an empty one takes no room.
    if (ended) clock.textContent = '';
    tick();
  };

  const render = () => {
    const s = client.getSnapshot();
    const limit = s.warning; // set only in the `warning` state
    if (s.state === 'active' || limit) seenLive = true;
    if (limit) {
      deadline = s[`${limit}ExpiresAt`]!; // a warning always has its deadline
      if (limit === 'idle' || !holds()) {
        return open(limit, t[`${limit}Body`]);
      }
    }
    // The signed-out notice stays until the session is live again.
    if (mode !== 'ended' || seenLive) close();
  };

  const ended = (e: EndEvent) => {
    if (!seenLive) return;
    seenLive = signingOut = false;
    const why: Partial<Record<string, string>> = {
      'idle-timeout': t.endedIdle,
      'absolute-timeout': t.endedAbsolute,
      'logged-out': t.endedLoggedOut,
    };
    open('ended', why[e.reason] ?? t.endedOther);
  };

  // Escape means "stay": extend, keep working, or close the notice, like the calm button of
  // each mode ("Stay signed in", "Save my work first", "Close"). Browsers fire `cancel` for
  // every close request, also when they do not let it be cancelled (Chromium, after a
  // second Escape with no click or key press between).
  dialog.oncancel = (e) => {
    e.preventDefault();
    (mode === 'idle' ? primary : secondary).click();
  };
  // Closed by the browser all the same: shown again while the session still gives this
  // warning (its extension failed), or the person is signed out with no warning on screen.
  // Not when the close was this code's own switch to another mode (a `close` event fired at
  // once, as some DOM implementations do, would otherwise reopen the old one).
  dialog.onclose = () => dialog.open || mode !== client.getSnapshot().warning || render();
  // The client's actions never reject: failures come as `error` and `reauth-failed` events,
  // and a re-authentication that fails still leads to the sign-in page.
  primary.onclick = async () => {
    if (mode === 'idle') return client.extend();
    const fresh = client.getSnapshot().canReauth && (await client.reauthenticate());
    if (!fresh) location.assign(link.href);
  };
  secondary.onclick = () => {
    if (mode === 'idle') {
      signingOut = true;
      return client.logout();
    }
    // "Save my work first" holds for this deadline. Closing the notice records the ended
    // session's deadline, which no later session shares.
    dismissed = deadline;
    kept(true);
    close();
  };

  addEventListener('storage', heard);
  const stops = [
    () => removeEventListener('storage', heard),
    client.subscribe(render),
    client.on('expired', ended),
    // A sign-out the page made in this tab needs no notice: the person knows, and the page
    // goes on as it planned. This dialog's own "Sign out" gets one: on a page with no code
    // of its own (the script tag) the notice is all that says the account is gone.
    client.on('signed-out', (e) => (e.local && !signingOut) || ended(e)),
  ];
  render();

  return () => {
    dialog.onclose = null;
    close();
    dialog.remove();
    unstyle?.();
    for (const stop of stops) stop();
  };
};
