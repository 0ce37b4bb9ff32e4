import { describe, expect, it } from 'vitest';
import { signedInBrowser } from '../shell/signed-in.fixture.js';

const MIN = 60_000;

describe('a long stretch of virtual time with nobody there (idle 10 min, two tabs)', () => {
  it('advanceAsync: the tab warns at 8 min and shows expired at 10, as in a browser', async () => {
    const { browser, open, step } = signedInBrowser();
    const [tab, other] = [open(), open()];
    await step(0);
    const start = browser.clock.now();
    const seen: string[] = [];
    tab.client.on('warning', () => seen.push(`warning at ${browser.clock.now() - start}`));
    tab.client.on('expired', (e) => seen.push(`${e.reason} at ${browser.clock.now() - start}`));
    // The leader's 5-minute /status poll falls inside: its answer must not arrive at 11 min.
    await browser.clock.advanceAsync(11 * MIN);
    expect(seen).toEqual([`warning at ${8 * MIN}`, `idle-timeout at ${10 * MIN}`]);
    expect(tab.client.getSnapshot().state).toBe('expired');
    expect(other.client.getSnapshot().state).toBe('expired');
  });
});
