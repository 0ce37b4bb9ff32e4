import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { mountWarningDialog } from './dialog.js';
import { type FakeClient, fakeClient } from './fake-client.js';
import type { DialogStrings } from './strings.js';

const T0 = Date.UTC(2030, 0, 1);
let client: FakeClient;
let unmount: (() => void) | undefined;

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
  document.body.innerHTML = '';
  client = fakeClient(T0);
});
afterEach(() => {
  unmount?.();
  vi.useRealTimers();
});

// An app's translation table, as i18n libraries return it: a key with no translation yet
// comes back `undefined`. `Partial<DialogStrings>` accepts that, and the option promises
// "Words to replace; the rest stay English".
const fromCatalog = (catalog: Record<string, string>): Partial<DialogStrings> => ({
  stay: catalog.stay,
  signOut: catalog.signOut,
  announce: catalog.announce,
});

it('keeps the English words for keys the app passes without a translation (undefined)', () => {
  unmount = mountWarningDialog(client, { strings: fromCatalog({ signOut: 'Se déconnecter' }) });
  expect(() =>
    client.set({
      state: 'warning',
      warning: 'idle',
      idleExpiresAt: T0 + 60_000,
      remaining: 60_000,
    }),
  ).not.toThrow();
  const dialog = document.querySelector('dialog') as HTMLDialogElement;
  const buttons = [...dialog.querySelectorAll('button')].map((b) => b.textContent);
  // A button with no text has no accessible name (WCAG 4.1.2).
  expect(buttons).toEqual(['Se déconnecter', 'Stay signed in']);
  expect(dialog.querySelector('.lifeline-sr')?.textContent).toBe(
    "You'll be signed out in 1 minute.",
  );
});

// A blank translation (`data-strings-stay=" "`, a catalogue's placeholder of one space) is
// as missing as '': the button would be left with no accessible name (WCAG 4.1.2).
it('keeps the English words for keys given only whitespace', () => {
  unmount = mountWarningDialog(client, { strings: { stay: ' ', signOut: '\n  ' } });
  client.set({ state: 'warning', warning: 'idle', idleExpiresAt: T0 + 60_000, remaining: 60_000 });
  const dialog = document.querySelector('dialog') as HTMLDialogElement;
  const buttons = [...dialog.querySelectorAll('button')].map((b) => b.textContent);
  expect(buttons).toEqual(['Sign out', 'Stay signed in']);
});
