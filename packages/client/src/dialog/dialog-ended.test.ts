import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mountWarningDialog } from './dialog.js';
import { type FakeClient, fakeClient } from './fake-client.js';

const T0 = Date.UTC(2030, 0, 1);
let client: FakeClient;
let unmount: () => void;
const dialog = () => document.querySelector('dialog') as HTMLDialogElement;
const origin = { tabId: 'tab-b', local: false, trigger: 'timer' } as const;

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
  localStorage.clear(); // where "Save my work first" is kept across tabs
  history.replaceState(null, '', '/orders/42?step=2#notes');
  document.body.innerHTML = '';
  client = fakeClient(T0);
  unmount = mountWarningDialog(client, {
    signInUrl: '/login',
    strings: { saveWork: 'Keep working' },
  });
});

afterEach(() => {
  unmount();
  vi.useRealTimers();
});

describe('absolute limit and the signed-out notice', () => {
  it('shows the notice afresh when an open warning turns into it, so screen readers announce it', () => {
    client.set({ state: 'warning', warning: 'absolute', absoluteExpiresAt: T0 + 90_000 });
    // Words changed inside an open dialog are not announced; a dialog shown is.
    const shown = vi.spyOn(dialog(), 'showModal');
    // In the client's order: the event, then the new snapshot.
    client.emit({ ...origin, type: 'expired', reason: 'absolute-timeout', limit: 'absolute' });
    client.set({ state: 'expired', warning: null, lastReason: 'absolute-timeout' });
    expect(shown).toHaveBeenCalledTimes(1);
    expect(dialog().open).toBe(true);
    expect(dialog().dataset.mode).toBe('ended');
    // On its title, no button: the person may be typing, and a space on "Close" would
    // dismiss the notice unread, one on the link leave the page.
    expect(document.activeElement).toBe(dialog().querySelector('h2'));
  });

  it('words the absolute limit differently and offers no extension', () => {
    client.set({ state: 'warning', warning: 'absolute', absoluteExpiresAt: T0 + 90_000 });
    expect(dialog().dataset.mode).toBe('absolute');
    expect(dialog().querySelector('h2')?.textContent).toBe('Maximum session length reached');
    const labels = [...dialog().querySelectorAll('button:not([hidden])')].map((b) => b.textContent);
    expect(labels).toEqual(['Keep working', 'Sign in again']);
    // Opened while the person works: their next key must neither leave the page nor
    // dismiss, in every tab, the only warning of a limit that cannot be extended.
    expect(document.activeElement).toBe(dialog().querySelector('h2'));
    expect(dialog().querySelector('[role="timer"]')?.textContent).toBe('01:30');
  });

  it('"save my work" closes the absolute warning and it stays closed for that deadline', () => {
    client.set({ state: 'warning', warning: 'absolute', absoluteExpiresAt: T0 + 90_000 });
    (dialog().querySelector('.lifeline-secondary') as HTMLButtonElement).click();
    expect(dialog().open).toBe(false);
    client.set({ remaining: 80_000 });
    expect(dialog().open).toBe(false);
    expect(client.calls).toEqual([]);
  });

  it('stays dismissed when a new clock sample moves the deadline by a few ms, not for a new one', () => {
    client.set({ state: 'warning', warning: 'absolute', absoluteExpiresAt: T0 + 90_000 });
    (dialog().querySelector('.lifeline-secondary') as HTMLButtonElement).click();
    client.set({ absoluteExpiresAt: T0 + 90_000 - 10 }); // the offset estimate was refined
    expect(dialog().open).toBe(false);
    // A slow first round trip then a fast one: the estimate moves by half the difference.
    client.set({ absoluteExpiresAt: T0 + 90_000 - 1_250 });
    expect(dialog().open).toBe(false);
    client.set({ absoluteExpiresAt: T0 + 8 * 3_600_000 }); // a new session's limit
    expect(dialog().open).toBe(true);
  });

  it('"Save my work first" holds in every tab and after a reload, through the origin\'s storage', () => {
    client.set({ state: 'warning', warning: 'absolute', absoluteExpiresAt: T0 + 90_000 });
    (dialog().querySelector('.lifeline-secondary') as HTMLButtonElement).click();
    // The page reloads (or another tab opens) on the same session: no warning again.
    unmount();
    unmount = mountWarningDialog(client);
    expect(dialog().open).toBe(false);
    client.set({ absoluteExpiresAt: T0 + 8 * 3_600_000 }); // a new session's limit
    expect(dialog().open).toBe(true);
    // Another tab chose it for this deadline: its `storage` event closes the warning here.
    localStorage.setItem('lifeline-dismissed', String(T0 + 8 * 3_600_000));
    dispatchEvent(new StorageEvent('storage', { key: 'lifeline-dismissed' }));
    expect(dialog().open).toBe(false);
  });

  it('"Save my work first" holds when another app on the origin writes its own choice', () => {
    client.set({ state: 'warning', warning: 'absolute', absoluteExpiresAt: T0 + 90_000 });
    (dialog().querySelector('.lifeline-secondary') as HTMLButtonElement).click();
    // Another Lifeline app on this origin (its own `channelName` and session), an hour later.
    localStorage.setItem('lifeline-dismissed', String(T0 + 3_600_000 + 90_000));
    dispatchEvent(new StorageEvent('storage', { key: 'lifeline-dismissed' }));
    expect(dialog().open).toBe(false);
  });

  it('"Save my work first" chosen in another tab holds in a tab that has not shown the warning yet', () => {
    // A background tab, its timer throttled: the choice arrives before its own warning.
    client.set({ state: 'active', warning: null, absoluteExpiresAt: T0 + 90_000 });
    localStorage.setItem('lifeline-dismissed', String(T0 + 90_000));
    dispatchEvent(new StorageEvent('storage', { key: 'lifeline-dismissed' }));
    client.set({ state: 'warning', warning: 'absolute' });
    expect(dialog().open).toBe(false);
  });

  it('"Save my work first" still closes the warning in this tab where storage is refused', () => {
    const refused = () => {
      throw new DOMException('storage is disabled', 'SecurityError');
    };
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(refused);
    vi.spyOn(Storage.prototype, 'getItem').mockImplementation(refused);
    unmount();
    unmount = mountWarningDialog(client); // reads nothing, throws nothing
    client.set({ state: 'warning', warning: 'absolute', absoluteExpiresAt: T0 + 90_000 });
    (dialog().querySelector('.lifeline-secondary') as HTMLButtonElement).click();
    expect(dialog().open).toBe(false);
    client.set({ remaining: 80_000 });
    expect(dialog().open).toBe(false);
    vi.restoreAllMocks();
  });

  it('closing a notice that came without a warning leaves the next absolute warning alone', () => {
    client.emit({ ...origin, type: 'signed-out', reason: 'logged-out' });
    (dialog().querySelector('.lifeline-secondary') as HTMLButtonElement).click();
    expect(dialog().open).toBe(false);
    client.set({ state: 'warning', warning: 'absolute', absoluteExpiresAt: T0 + 90_000 });
    expect(dialog().dataset.mode).toBe('absolute');
    expect(dialog().open).toBe(true);
  });

  it('re-authenticates silently from the absolute warning when the server offers it', async () => {
    client.set({
      state: 'warning',
      warning: 'absolute',
      absoluteExpiresAt: T0 + 90_000,
      canReauth: true,
    });
    (dialog().querySelector('.lifeline-primary') as HTMLButtonElement).click();
    await vi.waitFor(() => expect(client.calls).toEqual(['reauthenticate']));
  });

  it('shows a calm notice after an idle timeout, with a sign-in link back to this page', () => {
    client.set({ state: 'expired', warning: null, lastReason: 'idle-timeout' });
    client.emit({ ...origin, type: 'expired', reason: 'idle-timeout', limit: 'idle' });
    expect(dialog().open).toBe(true);
    expect(dialog().querySelector('h2')?.textContent).toBe('You have been signed out');
    expect(dialog().querySelector('p')?.textContent).toMatch(/inactive/);
    expect(document.activeElement).toBe(dialog().querySelector('h2'));
    const link = dialog().querySelector('a') as HTMLAnchorElement;
    expect(link.textContent).toBe('Sign in again');
    const href = new URL(link.href);
    expect(href.pathname).toBe('/login');
    expect(href.searchParams.get('returnTo')).toBe('/orders/42?step=2#notes');
  });

  it('shows an open notice again within a second when the page replaces its <body>', () => {
    client.set({ state: 'expired', warning: null, lastReason: 'idle-timeout' });
    client.emit({ ...origin, type: 'expired', reason: 'idle-timeout', limit: 'idle' });
    document.documentElement.replaceChild(document.createElement('body'), document.body);
    expect(dialog()).toBeNull();
    vi.advanceTimersByTime(1_000);
    expect(dialog().open).toBe(true);
    expect(dialog().querySelector('p')?.textContent).toMatch(/inactive/);
    expect(dialog().querySelector('[role="timer"]')?.textContent).toBe('');
    expect(document.activeElement).toBe(dialog().querySelector('h2'));
  });

  it('leaves a closed notice closed when the page replaces its <body>', () => {
    client.emit({ ...origin, type: 'signed-out', reason: 'logged-out' });
    (dialog().querySelector('.lifeline-secondary') as HTMLButtonElement).click();
    document.documentElement.replaceChild(document.createElement('body'), document.body);
    vi.advanceTimersByTime(5_000);
    expect(dialog()).toBeNull();
  });

  it('keeps the URL fragment out of returnTo when the sign-in page is on another origin', () => {
    unmount();
    unmount = mountWarningDialog(client, { signInUrl: 'https://id.example.com/login' });
    client.set({ state: 'expired', warning: null, lastReason: 'idle-timeout' });
    client.emit({ ...origin, type: 'expired', reason: 'idle-timeout', limit: 'idle' });
    const href = new URL((dialog().querySelector('a') as HTMLAnchorElement).href);
    expect(href.origin).toBe('https://id.example.com');
    expect(href.searchParams.get('returnTo')).toBe('/orders/42?step=2');
  });

  it('says so when another tab signed out', () => {
    client.set({ state: 'signed-out', warning: null, lastReason: 'logged-out' });
    client.emit({ ...origin, type: 'signed-out', reason: 'logged-out' });
    expect(dialog().querySelector('p')?.textContent).toMatch(/another tab/);
  });

  it('closes the notice when the session is live again (signed in from another tab)', () => {
    client.emit({ ...origin, type: 'expired', reason: 'absolute-timeout', limit: 'absolute' });
    expect(dialog().querySelector('p')?.textContent).toMatch(/maximum session length reached/i);
    client.set({ state: 'active' });
    expect(dialog().open).toBe(false);
  });

  it('stays quiet on a page opened after the session ended (the sign-in page it links to)', () => {
    unmount();
    client = fakeClient(T0);
    client.set({ state: 'expired', lastReason: 'idle-timeout' });
    unmount = mountWarningDialog(client);
    client.emit({ ...origin, type: 'expired', reason: 'idle-timeout', limit: 'idle' });
    expect(dialog().open).toBe(false);
  });

  it('unmount removes the dialog, its styles and every listener', () => {
    client.set({ state: 'warning', warning: 'idle', idleExpiresAt: T0 + 60_000 });
    unmount();
    expect(document.querySelector('dialog')).toBeNull();
    expect(document.querySelector('style')).toBeNull();
    expect(client.attached()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});
