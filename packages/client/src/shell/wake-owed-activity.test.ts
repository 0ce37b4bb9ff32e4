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

// The person types in the follower, then (a few seconds later)
// in the leader; the computer sleeps before the keepalive and wakes inside the warning
// window. One burst of activity: the browser should send one POST /extend.
for (const order of [
  ['follower', 'leader'],
  ['leader', 'follower'],
] as const) {
  it(`one extension on waking for activity in the ${order[0]} then the ${order[1]} just before a sleep`, async () => {
    const { browser, open, step, extensions } = signedInBrowser();
    const [a, b] = [open(), open()];
    await step(0);
    expect(a.client.getSnapshot().isLeader).toBe(true);
    await step(30_000);
    const before = extensions();
    const tab = (who: string) => (who === 'leader' ? a : b);
    tab(order[0]).act();
    await step(5_000);
    tab(order[1]).act();
    await step(0);
    browser.clock.sleep(7 * MIN + 40_000);
    a.window.dispatch('focus');
    b.window.dispatch('focus');
    await step(5_000);
    await step(30_000);
    expect({
      extensions: extensions() - before,
      leader: a.client.getSnapshot().state,
      follower: b.client.getSnapshot().state,
    }).toEqual({ extensions: 1, leader: 'active', follower: 'active' });
    a.close();
    b.close();
  });
}

// The computer wakes because the person pressed a key (or moved the mouse): that input can
// reach the page before its overdue timer. The pre-sleep keystroke b9bad32 now extends for
// is then overwritten by the waking one, dated inside the warning window.
it('a lone tab woken by a keystroke still extends for its activity from before the sleep, without warning', async () => {
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
