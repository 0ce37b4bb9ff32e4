import { describe, expect, it } from 'vitest';
import { createFakeServer, createSimulatedBrowser, flush } from '../testing/index.js';

const MIN = 60_000;

function setup(activity?: false) {
  const browser = createSimulatedBrowser();
  const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: 10 * MIN });
  server.signIn();
  const tab = browser.openTab({ fetch: server.fetch, activity });
  const extensions = () => server.calls.get('/session/extend') ?? 0;
  // The person switches to another tab and back, touching nothing here.
  const switchAway = async () => {
    tab.hide();
    await browser.clock.advanceAsync(MIN);
    tab.show();
    await browser.clock.advanceAsync(MIN);
  };
  return { browser, tab, extensions, switchAway };
}

describe('the tab becoming visible', () => {
  it('counts as activity while activity is tracked (the person came back)', async () => {
    const { browser, tab, extensions, switchAway } = setup();
    await browser.clock.advanceAsync(0);
    await flush();
    await switchAway();
    expect(extensions()).toBe(1);
    tab.close();
  });

  it('extends nothing with `activity: false`, however often the person comes back', async () => {
    const { browser, tab, extensions, switchAway } = setup(false);
    await browser.clock.advanceAsync(0);
    await flush();
    for (let i = 0; i < 5; i++) await switchAway();
    expect(extensions()).toBe(0);
    tab.close();
  });

  it('still re-evaluates the deadlines with `activity: false`', async () => {
    const { browser, tab } = setup(false);
    await browser.clock.advanceAsync(0);
    await flush();
    tab.hide();
    // The laptop slept past the deadline: the tab's showing, not a timer, finds it.
    browser.clock.sleep(30 * MIN);
    tab.show();
    await flush();
    expect(tab.client.getSnapshot().state).toBe('expired');
    tab.close();
  });
});

describe('`activity: null`', () => {
  // Plain JavaScript passes the option check with `null` (`typeof null` is 'object'), and
  // the docs name it for "none": it used to turn the default tracking on.
  it('tracks no activity, as `false` does: a person moving the mouse keeps nothing alive', async () => {
    const browser = createSimulatedBrowser();
    const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: 10 * MIN });
    server.signIn();
    const tab = browser.openTab({ fetch: server.fetch, activity: null as unknown as false });
    await browser.clock.advanceAsync(0);
    await flush();
    for (let i = 0; i < 6; i++) {
      tab.act();
      await browser.clock.advanceAsync(MIN);
      await flush();
    }
    expect(server.calls.get('/session/extend') ?? 0).toBe(0);
    tab.close();
  });
});
