import { expect, it } from 'vitest';
import { DEMO_ENV, IDLE_MS } from './env.js';
import { signIn, worldPerTest } from './world.js';

const start = worldPerTest();

// docs/client.md leaves `scroll` out of the activity events because "a page that scrolls
// itself fires it too, and would keep an idle person signed in". A page (or a widget on it)
// that dispatches input events itself does the same with the events the SDK does listen to:
// only events the browser marks as the person's (`isTrusted`) may count as activity.
it('lets the session of an idle person expire while a script on the page dispatches synthetic input events', async () => {
  const world = await start(DEMO_ENV);
  const [tab] = await world.openTabs(1);
  await signIn(tab!);
  const extends_: string[] = [];
  tab!.on('request', (r) => {
    if (new URL(r.url()).pathname === '/session/extend') extends_.push(r.url());
  });
  // Nobody touches the page; its own script (a widget) dispatches a keydown and a pointermove now and then.
  await tab!.evaluate(() => {
    setInterval(() => {
      document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Shift', bubbles: true }));
      document.body.dispatchEvent(new PointerEvent('pointermove', { bubbles: true }));
    }, 5000);
  });
  for (let t = 0; t < 2 * IDLE_MS; t += 5000) {
    await world.advance(5000);
    await tab!.waitForTimeout(30);
  }
  await tab!.waitForTimeout(300);
  expect(extends_.length, 'POST /session/extend sent for synthetic events').toBe(0);
  expect((await world.status()).state).toBe('none');
}, 60_000);
