import { expect, it } from 'vitest';
import { signedInBrowser } from './signed-in.fixture.js';

const MIN = 60_000;

// Idle 10 min, warning 2 min (default), keepalive spacing min(60 s, (10 − 2) / 2 min) = 60 s.
// The person acts 30 s after the last extension, and the computer sleeps before the
// keepalive 30 s later; it wakes 7 min 45 s after the act, 1 min 45 s before the deadline
// the tabs know (inside the warning): the person was idle less than the idle timeout.
for (const who of ['leader', 'follower'] as const) {
  it(`extends on waking for activity in the ${who} from before the warning window, as for the other`, async () => {
    const { browser, open, step, extensions } = signedInBrowser();
    const [a, b] = [open(), open()];
    await step(0);
    expect(a.client.getSnapshot().isLeader).toBe(true);
    await step(30_000);
    const before = extensions();
    (who === 'leader' ? a : b).act();
    await step(0);
    browser.clock.sleep(7 * MIN + 45_000);
    a.window.dispatch('focus');
    b.window.dispatch('focus');
    await step(5_000);
    expect(extensions() - before).toBe(1);
    expect(a.client.getSnapshot().state).toBe('active');
    a.close();
    b.close();
  });
}
