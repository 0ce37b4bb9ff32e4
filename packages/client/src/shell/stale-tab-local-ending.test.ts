import { expect, it } from 'vitest';
import { signedInBrowser } from '../shell/signed-in.fixture.js';

const MIN = 60_000;

// A tab kept in the back/forward cache misses the leader's extensions (its channel is
// closed). Restored past its stale deadline while one /status fails (a transient 503), it
// decides "expired" locally (trigger 'local') and broadcasts that guess as an ending: the
// leader, which knows the server's later deadline and where the person is working, signs out.
it('a stale tab that cannot confirm does not sign out the tab that knows the session is live', async () => {
  const { open, stepAsync: step, server } = signedInBrowser(); // idle 10 min
  const [a, b] = [open(), open()];
  await step(0);
  b.window.dispatch('pagehide', { persisted: true });
  b.freeze();
  for (let i = 0; i < 12; i++) {
    a.act();
    await step(MIN);
  }
  expect(a.client.getSnapshot().state).toBe('active');
  server.breakWith(503); // one failed check
  b.resume();
  b.window.dispatch('pageshow', { persisted: true });
  await step(0);
  server.breakWith(null);
  expect(server.live()).toBe(true); // the server's deadline is ~9 min away
  expect(a.client.getSnapshot().state).toBe('active');
  a.close();
  b.close();
});
