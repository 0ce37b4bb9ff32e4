import { expect, it } from 'vitest';
import { signedInBrowser } from './signed-in.fixture.js';

const MIN = 60_000;
type Who = 'leader' | 'follower';

/**
 * Idle 10 min, warning 2 min (default), keepalive spacing min(60 s, (10 − 2) / 2 min) = 60 s.
 * Two tabs; 30 s after the last extension the person acts in the tabs named (5 s apart), and
 * the computer sleeps before the keepalive; it wakes `asleep` later, inside the warning window
 * of the deadline the tabs know, though the person was idle less than the idle timeout.
 * Returns the extensions sent from then on and the tabs' states 35 s after waking.
 */
async function actThenSleep(acts: Who[], asleep: number) {
  const { browser, open, step, extensions } = signedInBrowser();
  const [a, b] = [open(), open()];
  await step(0);
  expect(a.client.getSnapshot().isLeader).toBe(true);
  await step(30_000);
  const before = extensions();
  for (const [i, who] of acts.entries()) {
    if (i > 0) await step(5_000);
    (who === 'leader' ? a : b).act();
  }
  await step(0);
  browser.clock.sleep(asleep);
  a.window.dispatch('focus');
  b.window.dispatch('focus');
  await step(5_000);
  await step(30_000);
  const result = {
    extensions: extensions() - before,
    leader: a.client.getSnapshot().state,
    follower: b.client.getSnapshot().state,
  };
  a.close();
  b.close();
  return result;
}

const extendedOnce = { extensions: 1, leader: 'active', follower: 'active' };

for (const who of ['leader', 'follower'] as const) {
  it(`extends on waking for activity in the ${who} from before the warning window`, async () => {
    expect(await actThenSleep([who], 7 * MIN + 45_000)).toEqual(extendedOnce);
  });
}

// One burst of activity in two tabs: one POST /extend, whichever came last (the follower's
// extension, sent after both, covers the leader's activity too).
for (const order of [
  ['follower', 'leader'],
  ['leader', 'follower'],
] as const) {
  it(`extends once on waking for activity in the ${order[0]} then the ${order[1]}`, async () => {
    expect(await actThenSleep([...order], 7 * MIN + 40_000)).toEqual(extendedOnce);
  });
}

// The computer wakes because the person pressed a key: that input can reach the page before
// its overdue timer, and is dated inside the warning window. The keystroke before the sleep
// still counts.
it('extends a lone tab woken by a keystroke for its activity from before the sleep, without warning', async () => {
  const { browser, open, step, extensions } = signedInBrowser();
  const a = open();
  await step(0);
  await step(30_000);
  const before = extensions();
  const warnings: string[] = [];
  a.client.on('warning', (e) => warnings.push(e.limit));
  a.act();
  await step(0);
  browser.clock.sleep(7 * MIN + 45_000);
  a.act(); // the key that woke the computer
  await step(5_000);
  expect({ extensions: extensions() - before, warnings }).toEqual({ extensions: 1, warnings: [] });
  a.close();
});
