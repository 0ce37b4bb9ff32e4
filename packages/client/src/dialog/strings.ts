/**
 * Every word the warning dialog shows or speaks. Replace any of them (for another language
 * or another tone) through `mountWarningDialog(client, { strings })`; `{time}` is replaced
 * by the time left.
 */
export interface DialogStrings {
  /** Title of the idle warning. */
  idleTitle: string;
  /** Body of the idle warning. */
  idleBody: string;
  /** The primary button: extends the session. */
  stay: string;
  /** Ends the session now. */
  signOut: string;
  /** Title when the absolute limit is near: it cannot be extended. */
  absoluteTitle: string;
  /** Body of the absolute warning. */
  absoluteBody: string;
  /** Re-authenticates for a fresh session. */
  reauth: string;
  /** Closes the absolute warning so the person can save their work first. */
  saveWork: string;
  /** Title once the session has ended. */
  endedTitle: string;
  /** Body after an idle timeout. */
  endedIdle: string;
  /** Body after the absolute limit. */
  endedAbsolute: string;
  /** Body after a sign-out (in this or another tab). */
  endedLoggedOut: string;
  /** Body after a revocation or any other end. */
  endedOther: string;
  /** The link back to the sign-in page. */
  signIn: string;
  /** Closes the signed-out notice. */
  close: string;
  /** What screen readers hear as the time passes; `{time}` is the spoken time left. */
  announce: string;
}

/** The default English strings. */
export const defaultStrings: DialogStrings = {
  idleTitle: "You'll be signed out soon",
  idleBody: "You've been inactive, so we'll sign you out to protect your account.",
  stay: 'Stay signed in',
  signOut: 'Sign out',
  absoluteTitle: 'Maximum session length reached',
  absoluteBody: 'Save your work, or sign in again to continue.',
  reauth: 'Sign in again',
  saveWork: 'Save my work first',
  endedTitle: 'You have been signed out',
  endedIdle: 'You were inactive, so we signed you out to protect your account.',
  endedAbsolute: 'Maximum session length reached.',
  endedLoggedOut: 'You signed out, possibly in another tab.',
  endedOther: 'Your session ended.',
  signIn: 'Sign in again',
  close: 'Close',
  announce: "You'll be signed out in {time}.",
};
