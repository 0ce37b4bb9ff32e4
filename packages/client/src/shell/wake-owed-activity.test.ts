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
async function actThenSleep(
  acts: Who[],
  asleep: number,
  follower: 'stays' | 'closed' | 'frozen' | 'destroyed' = 'stays',
) {
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
  if (follower === 'closed') b.close();
  if (follower === 'frozen') b.freeze();
  if (follower === 'destroyed') b.client.destroy();
  await step(0);
  browser.clock.sleep(asleep);
  a.window.dispatch('focus');
  b.window.dispatch('focus');
  await step(5_000);
  await step(30_000);
  const result = {
    extensions: extensions() - before,
    leader: a.client.getSnapshot().state,
    follower: follower === 'stays' ? b.client.getSnapshot().state : follower,
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

// One burst of activity in two tabs: one POST /extend when the leader's came first (the
// follower's extension, sent after both, covers it). When the follower's came first, both
// extend: the leader cannot tell whether that follower is still there to do it
// (docs/design-decisions.md, "Two follower tabs under a frozen leader can both extend").
it('extends once on waking for activity in the leader then the follower', async () => {
  expect(await actThenSleep(['leader', 'follower'], 7 * MIN + 40_000)).toEqual(extendedOnce);
});

it('extends twice on waking for activity in the follower then the leader, signing nobody out', async () => {
  expect(await actThenSleep(['follower', 'leader'], 7 * MIN + 40_000)).toEqual({
    ...extendedOnce,
    extensions: 2,
  });
});

// A review found the leader leaving its own activity to a follower that was gone by then.
for (const gone of ['closed', 'frozen', 'destroyed'] as const) {
  it(`extends on waking for the leader's activity after the follower's, that follower ${gone}`, async () => {
    expect(await actThenSleep(['follower', 'leader'], 7 * MIN + 40_000, gone)).toEqual({
      extensions: 1,
      leader: 'active',
      follower: gone,
    });
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
