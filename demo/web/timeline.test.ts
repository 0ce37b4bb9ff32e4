// @vitest-environment happy-dom
import { afterEach, expect, it, vi } from 'vitest';
import { warnedAfterClockSetBack } from '../../packages/client/src/shell/default-clock.fixture.js';
import { mountTimeline } from './timeline.js';

afterEach(() => {
  vi.restoreAllMocks();
  document.body.innerHTML = '';
});

/** Seconds a `m:ss` text stands for. */
const seconds = (text: string) => {
  const [m, s] = text.split(':').map(Number);
  return m! * 60 + s!;
};

// The snapshot's deadlines are "in this tab's clock" (docs/client.md), the client's default
// clock, which does not run back when the computer's clock is set back. The timeline must
// count down on that clock, as the dialog does (packages/client/src/dialog/clock-set-back.test.ts),
// or after the computer's clock is corrected it shows an hour more than the session has left.
it('shows the time the session really has left after the computer clock was set back', async () => {
  document.body.innerHTML = ['idle', 'absolute']
    .map((p) => `<span id="${p}-left"></span><i id="${p}-fill"></i><i id="${p}-warn"></i>`)
    .join('');
  const { tab } = await warnedAfterClockSetBack(({ tab }) =>
    mountTimeline(tab.client, { idleTimeoutS: 1800, absoluteTimeoutS: 28_800, warnBeforeS: 120 }),
  );
  const snapshot = tab.client.getSnapshot();
  expect(snapshot.state).toBe('warning'); // the dialog says: signed out in about a minute
  const left = Math.round(snapshot.remaining / 1000);
  const shown = document.getElementById('idle-left')!.textContent!;
  // The timeline beside it must not say an hour more.
  expect(seconds(shown)).toBeLessThanOrEqual(left + 1);
  expect(document.getElementById('idle-fill')!.classList.contains('warn')).toBe(true);
  tab.close();
});
