import { afterEach, expect, it, vi } from 'vitest';
import { createClientCore } from '../shell/client.js';
import { defaultNow } from '../shell/clock.js';
import { createFakeServer } from '../testing/index.js';
import { broadcastChannel } from './broadcast.js';

afterEach(() => vi.restoreAllMocks());

const HOUR = 3_600_000;
const realNow = Date.now.bind(Date);
const tick = () => new Promise((r) => setTimeout(r, 50));

/**
 * A tab on the default channel, signed in; then a tab opened after the computer's clock
 * was set back by `stepBack` signs out. Its message is posted as `broadcast-channel` in
 * that tab puts it on the wire (stamped with its own `Date.now()`), through the platform's
 * `BroadcastChannel`. Returns the older tab's state once the message has had time to land.
 */
async function signOutFromNewerTab(stepBack: number) {
  const server = createFakeServer({ now: defaultNow, idleTimeoutMs: 10 * 60_000 });
  server.signIn();
  const name = `clock-step-${Math.random()}`;
  const older = createClientCore({
    fetch: server.fetch,
    channel: broadcastChannel,
    channelName: name,
    locks: null,
  });
  for (let i = 0; i < 5 && older.getSnapshot().state !== 'active'; i++) await tick();
  expect(older.getSnapshot().state).toBe('active');
  vi.spyOn(Date, 'now').mockImplementation(() => realNow() - stepBack);
  const newer = new BroadcastChannel(name);
  const wall = Date.now();
  newer.postMessage({
    time: wall * 1000,
    type: 'message',
    data: {
      v: 2,
      from: 'newer',
      trigger: 'user',
      type: 'answer',
      op: 'status',
      reason: 'logged-out',
      sentAt: wall,
    },
  });
  await tick();
  const state = older.getSnapshot().state;
  newer.close();
  older.destroy();
  return state;
}

it('hears a sign-out in another tab', async () => {
  expect(await signOutFromNewerTab(0)).toBe('signed-out');
});

// `broadcast-channel` dropped every message stamped before its listener was added, by the
// sender's clock: older tabs missed all news of a tab opened after a step back.
it('hears a sign-out in a tab opened after the clock was set back an hour', async () => {
  expect(await signOutFromNewerTab(HOUR)).toBe('signed-out');
});
