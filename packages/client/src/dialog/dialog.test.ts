import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mountWarningDialog, type WarningDialogOptions } from './dialog.js';
import { type FakeClient, fakeClient } from './fake-client.js';
import { DIALOG_CSS } from './styles.js';

const T0 = Date.UTC(2030, 0, 1);
let client: FakeClient;
let unmount: () => void;

const dialog = () => document.querySelector('dialog') as HTMLDialogElement;
const byId = (id: string | null) => document.getElementById(id ?? '');
const origin = { tabId: 'tab-b', local: false, trigger: 'timer' } as const;

function warnIdle(secondsLeft: number) {
  client.set({
    state: 'warning',
    warning: 'idle',
    idleExpiresAt: Date.now() + secondsLeft * 1000,
    remaining: secondsLeft * 1000,
  });
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
  localStorage.clear(); // where "Save my work first" is kept across tabs
  document.body.innerHTML = '<button id="before">Pay</button>';
  (document.getElementById('before') as HTMLButtonElement).focus();
  client = fakeClient(T0);
  unmount = mountWarningDialog(client, { signInUrl: '/login' });
});

afterEach(() => {
  unmount();
  vi.useRealTimers();
});

describe('mountWarningDialog', () => {
  it('stays closed while the session is active', () => {
    expect(dialog().open).toBe(false);
  });

  it('opens the idle warning as a labelled alert dialog with focus on "Stay signed in"', () => {
    warnIdle(120);
    const d = dialog();
    expect(d.open).toBe(true);
    expect(d.getAttribute('role')).toBe('alertdialog');
    expect(byId(d.getAttribute('aria-labelledby'))?.textContent).toBe("You'll be signed out soon");
    const [bodyId] = (d.getAttribute('aria-describedby') ?? '').split(' ');
    expect(byId(bodyId ?? null)?.textContent).toMatch(/inactive, so we'll sign you out/);
    expect(document.activeElement?.textContent).toBe('Stay signed in');
    expect(d.querySelector('[role="timer"]')?.textContent).toBe('02:00');
  });

  it('opens the warning in a page that replaced its <body> since the dialog was mounted', () => {
    document.documentElement.replaceChild(document.createElement('body'), document.body);
    warnIdle(120);
    expect(document.body.contains(dialog())).toBe(true);
    expect(dialog().open).toBe(true);
    expect(document.activeElement?.textContent).toBe('Stay signed in');
  });

  it('shows an open warning again within a second when the page replaces its <body>', () => {
    warnIdle(120);
    document.documentElement.replaceChild(document.createElement('body'), document.body);
    expect(dialog()).toBeNull();
    vi.advanceTimersByTime(1_000);
    expect(dialog().open).toBe(true);
    expect(dialog().querySelector('[role="timer"]')?.textContent).toBe('01:59');
  });

  it('counts down every second on screen', () => {
    warnIdle(120);
    vi.advanceTimersByTime(5_000);
    expect(dialog().querySelector('[role="timer"]')?.textContent).toBe('01:55');
  });

  it('counts down and speaks the time on a page whose lang is no language tag (en_US)', () => {
    document.documentElement.lang = 'en_US';
    try {
      warnIdle(65);
      const live = dialog().querySelector('[aria-live="polite"]') as HTMLElement;
      expect(live.textContent).toMatch(/ in 1 minute 5 seconds\.$/);
      vi.advanceTimersByTime(5_000);
      expect(dialog().querySelector('[role="timer"]')?.textContent).toBe('01:00');
      expect(live.textContent).toMatch(/ in 1 minute\.$/);
    } finally {
      document.documentElement.lang = '';
    }
  });

  it('speaks the time in 20-second steps, and every second in the last 20', () => {
    warnIdle(65);
    const live = dialog().querySelector('[aria-live="polite"]') as HTMLElement;
    expect(live.textContent).toBe("You'll be signed out in 1 minute 5 seconds.");
    vi.advanceTimersByTime(1_000);
    expect(live.textContent).toMatch(/ in 1 minute 5 seconds\.$/);
    vi.advanceTimersByTime(4_000);
    expect(live.textContent).toMatch(/ in 1 minute\.$/);
    vi.advanceTimersByTime(19_000);
    expect(live.textContent).toMatch(/ in 1 minute\.$/);
    vi.advanceTimersByTime(1_000);
    expect(live.textContent).toMatch(/ in 40 seconds\.$/);
    vi.advanceTimersByTime(21_000);
    expect(live.textContent).toMatch(/ in 19 seconds\.$/);
    vi.advanceTimersByTime(1_000);
    expect(live.textContent).toMatch(/ in 18 seconds\.$/);
  });

  it('does not repeat the spoken time when the same warning is refreshed', () => {
    warnIdle(100);
    const live = dialog().querySelector('[aria-live="polite"]') as HTMLElement;
    expect(live.textContent).toMatch(/ in 1 minute 40 seconds\.$/);
    vi.advanceTimersByTime(3_000);
    live.textContent = ''; // what a screen reader has already read
    client.set({ remaining: 97_000 }); // a snapshot change within the same warning
    expect(live.textContent).toBe('');
  });

  it('a close event the browser delivers after the dialog reopened does not extend', () => {
    warnIdle(60);
    const d = dialog();
    d.dispatchEvent(new Event('close')); // late: the dialog is open again by now
    expect(client.calls).toEqual([]);
  });

  it('comes back when the browser closes it while the session still warns, but not after unmount', () => {
    warnIdle(60);
    const d = dialog();
    d.close(); // the browser's own close, after an Escape it would not let the page cancel
    d.dispatchEvent(new Event('close')); // browsers deliver it as a task of its own
    expect(d.open).toBe(true);
    d.close();
    unmount();
    d.dispatchEvent(new Event('close')); // delivered after the app unmounted the dialog
    expect(d.isConnected).toBe(false);
    unmount = () => {};
  });

  it('extends on "Stay signed in" and closes when the session is live again', () => {
    warnIdle(60);
    (document.activeElement as HTMLButtonElement).click();
    expect(client.calls).toEqual(['extend']);
    client.set({ state: 'active', warning: null, idleExpiresAt: Date.now() + 600_000 });
    // Focus going back to "Pay" is the browser's job on close; the e2e suite checks it.
    expect(dialog().open).toBe(false);
  });

  it('treats Escape (the cancel event) as "stay"', () => {
    warnIdle(60);
    const cancel = new Event('cancel', { cancelable: true });
    dialog().dispatchEvent(cancel);
    expect(cancel.defaultPrevented).toBe(true);
    expect(client.calls).toEqual(['extend']);
  });

  it('with a CSP nonce, puts its styles in a <style nonce> inside the dialog, gone on unmount', () => {
    unmount();
    unmount = mountWarningDialog(client, { nonce: 'r4nd0m' });
    const style = dialog().querySelector('style') as HTMLStyleElement;
    expect(style.nonce).toBe('r4nd0m');
    expect(style.textContent).toBe(DIALOG_CSS);
    unmount();
    expect(document.querySelector('style')).toBeNull();
  });

  const signedOutHere = () => {
    client.set({ state: 'signed-out', warning: null, lastReason: 'logged-out' });
    client.emit({
      ...origin,
      local: true,
      trigger: 'user',
      type: 'signed-out',
      reason: 'logged-out',
    });
  };

  it('signs out on "Sign out" and then says so: on a page with no code, nothing else would', () => {
    warnIdle(60);
    (dialog().querySelector('.lifeline-secondary') as HTMLButtonElement).click();
    expect(client.calls).toEqual(['logout']);
    signedOutHere();
    expect(dialog().open).toBe(true);
    expect(dialog().dataset.mode).toBe('ended');
    expect(dialog().querySelector('p')?.textContent).toBe(
      'You signed out, possibly in another tab.',
    );
  });

  it("shows no notice for a sign-out the page's own code made in this tab", () => {
    warnIdle(60);
    (dialog().querySelector('.lifeline-primary') as HTMLButtonElement).click(); // extended
    client.set({ state: 'active', warning: null });
    signedOutHere();
    expect(dialog().open).toBe(false);
  });

  it('after its own "Sign out" and a new sign-in, again shows no notice for the page\'s sign-out', () => {
    warnIdle(60);
    (dialog().querySelector('.lifeline-secondary') as HTMLButtonElement).click();
    signedOutHere();
    (dialog().querySelector('.lifeline-secondary') as HTMLButtonElement).click(); // "Close"
    client.set({ state: 'active', warning: null });
    signedOutHere();
    expect(dialog().open).toBe(false);
  });
});

describe('options', () => {
  it('refuses a misspelt option at mount, naming it, leaving nothing behind', () => {
    const before = document.querySelectorAll('dialog').length;
    // Quietly ignored, it would send a signed-out person to '/' instead of the sign-in page.
    const misspelt = { signinUrl: '/login' } as WarningDialogOptions;
    expect(() => mountWarningDialog(client, misspelt)).toThrow(
      new TypeError('Lifeline: option "signinUrl" is not an option'),
    );
    expect(document.querySelectorAll('dialog')).toHaveLength(before);
  });

  it('takes a key left undefined, and ignores one inherited from Object.prototype, as the client does', () => {
    const unset = { signInUrl: '/login', signinUrl: undefined } as WarningDialogOptions;
    expect(() => mountWarningDialog(client, unset)()).not.toThrow();
    // A polyfill's enumerable property: with the script tag, a throw here loses the whole SDK.
    const proto = Object.prototype as Record<string, unknown>;
    proto.polyfilled = () => {};
    try {
      expect(() => mountWarningDialog(client, { signInUrl: '/login' })()).not.toThrow();
    } finally {
      delete proto.polyfilled;
    }
  });

  it('takes every documented option', () => {
    const all: Required<WarningDialogOptions> = {
      strings: { stay: 'Keep me in' },
      signInUrl: '/login',
      lang: 'en',
      now: Date.now,
      injectStyles: false,
      nonce: 'abc',
    };
    expect(() => mountWarningDialog(client, all)()).not.toThrow();
  });
});

describe('the signInUrl option', () => {
  it('is refused at mount, naming the option, unless http(s) or relative, leaving nothing behind', () => {
    for (const [url, shown] of [
      ['javascript:alert(1)', '"javascript:alert(1)"'],
      [' Java\tScript:alert(1)', '" Java\tScript:alert(1)"'],
      ['https://[', '"https://["'],
      [42, 'number'],
      [{ toString: () => '/login' }, 'object'],
    ] as const) {
      const before = document.querySelectorAll('dialog').length;
      expect(() => mountWarningDialog(client, { signInUrl: url as string })).toThrow(
        new TypeError(
          `Lifeline: option "signInUrl" must be an http(s) or relative URL (got ${shown})`,
        ),
      );
      expect(document.querySelectorAll('dialog')).toHaveLength(before);
    }
  });

  it('takes an absolute https URL on another origin', () => {
    expect(() =>
      mountWarningDialog(client, { signInUrl: 'https://id.example.com/login' })(),
    ).not.toThrow();
  });
});
