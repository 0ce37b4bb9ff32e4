import { expect, it } from 'vitest';
import { DEMO_ENV } from './env.js';
import { signIn, worldPerTest } from './world.js';

// The demo's event log starts its cursor into the server's audit log at the browser's
// Date.now() minus 5 minutes, and compares it with the server's own timestamps. With the
// computer's clock more than 5 minutes ahead of the server's (the skew the SDK itself
// corrects for), every server event is older than the cursor and never shown.
const start = worldPerTest();

it("shows the server's audit events in the demo's log when the computer's clock runs 10 minutes ahead", async () => {
  const world = await start(DEMO_ENV);
  await world.context.clock.setSystemTime(Date.now() + 10 * 60_000);
  const [tab] = await world.openTabs(1);
  await signIn(tab!);
  // The sign-in's `created` is in the server's log (GET /api/events lists it)...
  const res = await tab!.evaluate(async () => {
    const r = await fetch('/api/events', { headers: { 'Session-Passive': '1' } });
    return ((await r.json()) as { events: { type: string }[] }).events.map((e) => e.type);
  });
  expect(res).toContain('created');
  // ...and the page polls it every 3 s while signed in: it must show up in the log.
  await world.advance(3_500);
  await expect
    .poll(
      () =>
        tab!.evaluate(() =>
          [...document.querySelectorAll('#log li')].map((li) => li.textContent ?? ''),
        ),
      { timeout: 3000 },
    )
    .toContainEqual(expect.stringMatching(/created\s*server/));
});
