import type { CDPSession, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { comeBack, type Demo, passWithTimersHeld, signedInTabs } from './hidden-tabs.js';
import { expectState, signIn, snapshot, type World } from './world.js';

// Review of the client in really hidden tabs and minimised windows (see hidden-tabs.ts):
// the idle warning, the signed-out notice and the app's requests.

const signedInTab = signedInTabs();

/** The server's clock, as `GET /session/status` reports it. */
async function serverNow(w: World): Promise<number> {
  return ((await w.status()) as { now?: number }).now!;
}

/** Minimises (or restores) the window of `tab`, and waits until `tab` knows. */
async function minimise(cdp: CDPSession, tab: Page, minimised: boolean): Promise<void> {
  const { windowId } = await cdp.send('Browser.getWindowForTarget');
  await cdp.send('Browser.setWindowBounds', {
    windowId,
    bounds: { windowState: minimised ? 'minimized' : 'normal' },
  });
  await expect
    .poll(() => tab.evaluate(() => document.visibilityState))
    .toBe(minimised ? 'hidden' : 'visible');
}

/** Records the session requests every open tab sends from now on, as `METHOD /path`. */
function recordSessionRequests(tabs: Page[]): string[] {
  const sent: string[] = [];
  for (const tab of tabs) {
    tab.on('request', (req) => {
      const path = new URL(req.url()).pathname;
      if (path.startsWith('/session/')) sent.push(`${req.method()} ${path}`);
    });
  }
  return sent;
}

/**
 * Records in `tab` the trusted `visibilitychange` and `focus` events and the client's
 * `warning`, `warning-cleared` and `extended` events, in the order they happen.
 */
function recordOrder(tab: Page): Promise<void> {
  return tab.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { seen: string[] }).seen = seen;
    const { client } = (window as unknown as Demo).lifelineDemo;
    document.addEventListener('visibilitychange', (e) => {
      if (e.isTrusted) seen.push(`visibilitychange ${document.visibilityState}`);
    });
    window.addEventListener('focus', (e) => {
      if (e.isTrusted) seen.push('focus');
    });
    for (const type of ['warning', 'warning-cleared', 'extended'] as const) {
      client.on(type, () => seen.push(type));
    }
  });
}
const order = (tab: Page) =>
  tab.evaluate(() => (window as unknown as { seen: string[] }).seen.splice(0));

it('opens the warning in a background tab and in the one in front, and the person coming back finds it with the right time, focus on "Stay signed in", which works', async () => {
  const [w, used] = await signedInTab();
  // Another tab of the app comes to the front; the one the person used is in the background.
  const [front] = await w.openTabs(1);
  await expect.poll(() => used.evaluate(() => document.visibilityState)).toBe('hidden');
  const before = await w.status();

  await w.advance(42_000); // into the 20-second warning window
  for (const tab of [used, front!]) {
    await tab.locator('dialog.lifeline-dialog[open][data-mode="idle"]').waitFor();
  }
  await comeBack(used);
  const shown = await used.evaluate(() => ({
    focus: document.activeElement?.textContent,
    hasFocus: document.hasFocus(),
    clock: document.querySelector('.lifeline-clock')?.textContent,
    spoken: document.querySelector('.lifeline-sr')?.textContent,
  }));
  const left = Math.ceil((before.idleExpiresAt! - (await serverNow(w))) / 1000);
  expect(shown.focus).toBe('Stay signed in');
  expect(shown.hasFocus).toBe(true);
  // mm:ss, within a second of the server's time left.
  expect(Math.abs(Number(shown.clock!.slice(3)) - left)).toBeLessThanOrEqual(1);
  expect(shown.spoken).toMatch(/signed out in \d+ seconds/);

  await used.keyboard.press('Enter');
  for (const tab of [used, front!]) {
    await tab.locator('dialog.lifeline-dialog').waitFor({ state: 'hidden', timeout: 3000 });
  }
  expect((await w.status()).idleExpiresAt!).toBeGreaterThan(before.idleExpiresAt!);
  await expectState([used, front!], 'active');
});

it('shows the signed-out notice without a warning when the person restores the minimised window after the idle timeout, and "Sign in again" leads to the form and back', async () => {
  const [w, leader] = await signedInTab();
  const [front] = await w.openTabs(1);
  await recordOrder(front!);
  await recordOrder(leader);
  const cdp = await w.context.newCDPSession(front!);
  await minimise(cdp, front!, true);
  await expect.poll(() => leader.evaluate(() => document.visibilityState)).toBe('hidden');

  await passWithTimersHeld(w, leader, 5 * 60_000);
  expect((await w.status()).state).toBe('none');
  await minimise(cdp, front!, false);

  await expectState([front!], 'expired', 4000);
  await expect
    .poll(() => front!.locator('dialog[data-mode="ended"] .lifeline-body').textContent())
    .toMatch(/inactive/);
  expect(await order(front!)).not.toContain('warning');
  expect(await order(leader)).not.toContain('warning');

  await front!.getByRole('link', { name: 'Sign in again' }).click();
  await front!.waitForURL(/\?returnTo=/);
  await signIn(front!);
  expect(new URL(front!.url()).search).toBe('');
  await expectState([front!], 'active');
  await cdp.detach();
});

// Fails today: a defect in the client. A tab that comes back while its held-back timers
// have not yet opened the warning counts the return as activity, because the shell
// dispatches `activity` before it re-evaluates the deadlines on `visibilitychange`: the
// core's "activity during the idle warning does not count" check reads the stale
// `warning: null`. In a follower that activity is "owed" an extension, so the warning opens
// (and is announced), then the follower sends `POST /extend` by itself a few seconds later
// and the dialog closes without the person choosing "Stay signed in". Coming back to the
// leader instead leaves the warning up, as documented. Chromium sends `focus` and
// `visibilitychange` in either order when a window is restored; only the order
// visibilitychange-first shows the defect (`focus` re-evaluates first otherwise), so the
// test tries up to five times and fails at the first silent extension.
it('does not extend the session by itself when the person restores the window inside the warning window: the returning tab warns and waits for "Stay signed in"', async () => {
  const [w, leader] = await signedInTab();
  const [front] = await w.openTabs(1);
  expect((await snapshot(front!)).isLeader).toBe(false);
  await recordOrder(front!);
  const cdp = await w.context.newCDPSession(front!);
  const sent = recordSessionRequests([leader, front!]);
  const orders: string[][] = [];

  for (let attempt = 0; attempt < 5; attempt++) {
    await minimise(cdp, front!, true);
    await expect.poll(() => leader.evaluate(() => document.visibilityState)).toBe('hidden');
    // Away until 15 s before the idle deadline; no tab's timer ran meanwhile.
    const { idleExpiresAt } = await w.status();
    await passWithTimersHeld(w, leader, idleExpiresAt! - (await serverNow(w)) - 15_000);
    await order(front!);
    sent.length = 0;

    await minimise(cdp, front!, false);
    await front!.locator('dialog.lifeline-dialog[open][data-mode="idle"]').waitFor();
    // Long enough for the follower's own extension (due 10 s before the deadline).
    await front!.waitForTimeout(6500);
    orders.push(await order(front!));
    expect({ attempt, order: orders.at(-1), sent }).toEqual({
      attempt,
      order: orders.at(-1)!.filter((e) => e !== 'extended' && e !== 'warning-cleared'),
      sent: [],
    });
    expect(await front!.locator('dialog.lifeline-dialog[open]').count()).toBe(1);
    // The person chooses to stay, and the next attempt starts from a fresh deadline.
    await front!.keyboard.press('Enter');
    await front!.locator('dialog.lifeline-dialog').waitFor({ state: 'hidden', timeout: 3000 });
  }
  await cdp.detach();
});

// Fails today: a defect in the client. A hidden tab's request that left with the cookie a
// sign-in in another tab then replaced is answered 401 `session_revoked` for the old
// cookie. By the time the answer arrives the tab already knows the new session, and from a
// visible tab the wrapper replays the request with the new cookie at once (no re-auth is
// needed: `reauthenticate(sentAt)` finds a session newer than the request). From a hidden
// tab it never gets that far (`!hidden` is checked before it), so the call rejects with
// `SessionExpiredError` and the write (here the app saving a draft as the tab goes to the
// background) is lost, though the person is signed in.
it("replays a hidden tab's write that crossed a sign-in in another tab with the new cookie, instead of rejecting it as expired", async () => {
  const [w, hiddenTab] = await signedInTab();
  const oldCookie = (await w.context.cookies(w.server.url))
    .map((c) => `${c.name}=${c.value}`)
    .join('; ');
  // The write leaves now, with the old cookie, and reaches the server only after the sign-in
  // below (a slow network): the answer is the server's real one to that cookie then.
  let arrive!: () => void;
  const arrived = new Promise<void>((resolve) => {
    arrive = resolve;
  });
  let firstAnswer = 0;
  await hiddenTab.route(
    '**/api/cart',
    async (route) => {
      await arrived;
      const req = route.request();
      const res = await fetch(req.url(), {
        method: req.method(),
        headers: { ...(await req.allHeaders()), cookie: oldCookie },
        body: req.postData(),
      });
      firstAnswer = res.status;
      await route.fulfill({
        status: res.status,
        headers: Object.fromEntries(res.headers),
        body: Buffer.from(await res.arrayBuffer()),
      });
    },
    { times: 1 },
  );
  // The person signs in again in another tab (the form shows over a live session there).
  const [other] = await w.openTabs(1, '/?returnTo=%2F');
  await expect.poll(() => hiddenTab.evaluate(() => document.visibilityState)).toBe('hidden');
  const first = await w.status();
  const known = (await snapshot(hiddenTab)).absoluteExpiresAt;
  const sent = recordSessionRequests([hiddenTab, other!]);

  const saved = hiddenTab.evaluate(async () => {
    const { client } = (window as unknown as Demo).lifelineDemo;
    return client
      .fetch('/api/cart', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'Session-Request': '1' },
        body: JSON.stringify({ item: 'draft' }),
      })
      .then(
        async (res) => `${res.status} ${await res.text()}`,
        (error: Error) => error.name,
      );
  });
  await signIn(other!);
  const second = await w.status();
  expect(second.absoluteExpiresAt).not.toBe(first.absoluteExpiresAt);
  await expect.poll(async () => (await snapshot(hiddenTab)).absoluteExpiresAt).not.toBe(known);
  arrive();

  const result = await saved;
  expect(firstAnswer).toBe(401);
  expect(sent).not.toContain('POST /session/reauth');
  expect(result).toBe('200 {"cart":["draft"]}');
  expect((await snapshot(hiddenTab)).state).toBe('active');
});
