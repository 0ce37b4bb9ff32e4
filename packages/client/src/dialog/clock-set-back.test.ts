import { afterEach, expect, it, vi } from 'vitest';
import { warnedAfterClockSetBack } from '../shell/default-clock.fixture.js';
import { mountWarningDialog } from './dialog.js';

afterEach(() => {
  vi.restoreAllMocks();
  document.body.innerHTML = '';
});

// The client's default clock is the later of Date.now() and the monotonic clock
// (docs/client.md: "a default clock that does not run back when the computer's clock is set
// back"); its snapshot deadlines are "in this tab's clock". The dialog's countdown must read
// the same clock, or a corrected wall clock makes it show (and speak) the wrong time left.
it('counts down to the real deadline after the computer clock was set back an hour', async () => {
  let unmount = () => {};
  const { tab } = await warnedAfterClockSetBack(({ tab }) => {
    unmount = mountWarningDialog(tab.client); // as the script tag does: no `now`
  });
  expect(tab.client.getSnapshot().state).toBe('warning');
  const dialog = document.querySelector('dialog') as HTMLDialogElement;
  expect(dialog.open).toBe(true);
  const left = Math.round(tab.client.getSnapshot().remaining / 1000);
  expect(left).toBeLessThanOrEqual(120);
  const shown = dialog.querySelector('[role="timer"]')?.textContent ?? '';
  const [m, s] = shown.split(':').map(Number);
  // The person is signed out in about a minute; the dialog must not say an hour more.
  expect(m! * 60 + s!).toBeLessThanOrEqual(left + 1);
  unmount();
  tab.close();
});
