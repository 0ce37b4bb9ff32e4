import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { IDLE_MS } from './env.js';
import { comeBack, type Demo, leave, passWithTimersHeld, signedInTabs } from './hidden-tabs.js';
import { expectState, snapshot } from './world.js';

// A tab the person left (see hidden-tabs.ts): what the client does while it is in the
// background and when the person comes back.

const signedInTab = signedInTabs(watchLifecycle);

/**
 * Records the `visibilitychange` (as the state it changed to), `freeze` and `resume`
 * events `tab` receives from now on, marking any the browser did not send itself.
 */
function watchLifecycle(tab: Page): Promise<void> {
  return tab.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { lifecycleSeen: string[] }).lifecycleSeen = seen;
    for (const type of ['visibilitychange', 'freeze', 'resume']) {
      document.addEventListener(type, (event) => {
        const name = type === 'visibilitychange' ? document.visibilityState : type;
        seen.push(`${name}${event.isTrusted ? '' : ' (synthetic)'}`);
      });
    }
  });
}

const lifecycleSeen = (tab: Page) =>
  tab.evaluate(() => (window as unknown as { lifecycleSeen: string[] }).lifecycleSeen);

/** `GET /api/me` through the client's `fetch` wrapper in `tab`: its status, and whether it went out passive. */
async function fetchMe(tab: Page): Promise<{ status: number; passive: string | undefined }> {
  const sent = tab.waitForRequest((req) => new URL(req.url()).pathname === '/api/me');
  const status = await tab.evaluate(async () => {
    const res = await (window as unknown as Demo).lifelineDemo.client.fetch('/api/me');
    return res.status;
  });
  return { status, passive: (await sent).headers()['session-passive'] };
}

/** Records each `POST /session/extend` that `tab` sends from now on (the time it went out). */
function recordExtensions(tab: Page): number[] {
  const sent: number[] = [];
  tab.on('request', (req) => {
    if (new URL(req.url()).pathname === '/session/extend') sent.push(Date.now());
  });
  return sent;
}

/** Records every `warning` the client in `tab` emits from now on. */
async function recordWarnings(tab: Page): Promise<() => Promise<number>> {
  await tab.evaluate(() => {
    const w = window as unknown as Demo & { warnings: number };
    w.warnings = 0;
    w.lifelineDemo.client.on('warning', () => {
      w.warnings++;
    });
  });
  return () => tab.evaluate(() => (window as unknown as { warnings: number }).warnings);
}

it('marks a request the app makes from a hidden tab passive, so it leaves the idle deadline alone; visible, the same request slides it', async () => {
  const [w, tab] = await signedInTab();

  // Visible: past the server's touch interval, an ordinary request slides the deadline.
  await w.advance(10_000);
  const beforeVisible = await w.status();
  const visible = await fetchMe(tab);
  expect(visible).toEqual({ status: 200, passive: undefined });
  const afterVisible = await w.status();
  expect(afterVisible.idleExpiresAt!).toBeGreaterThan(beforeVisible.idleExpiresAt!);

  // The person switches to another tab; the app keeps polling from this one.
  await leave(w, tab);
  expect(await lifecycleSeen(tab)).toEqual(['hidden']);
  await w.advance(10_000);
  const beforeHidden = await w.status();
  const hidden = await fetchMe(tab);
  expect(hidden).toEqual({ status: 200, passive: '1' });
  const afterHidden = await w.status();
  expect(afterHidden.state).toBe('active');
  expect(afterHidden.idleExpiresAt).toBe(beforeHidden.idleExpiresAt);
  expect(afterHidden.idleExpiresAt).toBe(afterVisible.idleExpiresAt);
});

it('extends nothing for a tab left in the background, and counts coming back to it as activity', async () => {
  const [w, tab] = await signedInTab();
  const signedIn = await w.status();

  // Half an idle timeout in the background: nobody there, so nothing extends.
  await leave(w, tab);
  await w.advance(IDLE_MS / 2);
  await tab.waitForTimeout(500);
  expect((await w.status()).idleExpiresAt).toBe(signedIn.idleExpiresAt);

  // The person comes back to the tab (no click, no key): the session is extended for it.
  await comeBack(tab);
  expect(await lifecycleSeen(tab)).toEqual(['hidden', 'visible']);
  await expect
    .poll(async () => (await w.status()).idleExpiresAt!, { timeout: 3000 })
    .toBeGreaterThan(signedIn.idleExpiresAt! + IDLE_MS / 2 - 1000);
  await expectState([tab], 'active');
  expect(await tab.locator('dialog[open]').count()).toBe(0);
});

it('shows a tab left in the background past its idle deadline as signed out the moment the person comes back, without the warning', async () => {
  const [w, tab] = await signedInTab();
  const warnings = await recordWarnings(tab);

  await leave(w, tab);
  await passWithTimersHeld(w, tab, 5 * 60_000);
  expect((await w.status()).state).toBe('none');
  // Its timers held back, the background tab still shows the session it last knew.
  expect((await snapshot(tab)).state).toBe('active');

  await comeBack(tab);
  expect(await lifecycleSeen(tab)).toEqual(['hidden', 'visible']);
  // At once, not when its held-back timer would fire (tens of seconds from now).
  await expectState([tab], 'expired', 3000);
  await expect.poll(() => tab.locator('.lifeline-body').textContent()).toMatch(/inactive/);
  expect(await warnings()).toBe(0);
  expect((await snapshot(tab)).lastReason).toBe('idle-timeout');
});

it('keeps the person working in one tab signed in through the leading tab, though it sits in the background', async () => {
  const [w, leader] = await signedInTab();
  const [worker] = await w.openTabs(1);
  // Opening the second tab sent the first to the background; it still leads.
  await expect.poll(() => leader.evaluate(() => document.visibilityState)).toBe('hidden');
  await expect.poll(async () => (await snapshot(leader)).isLeader).toBe(true);
  expect((await snapshot(worker!)).isLeader).toBe(false);
  const before = await w.status();
  const extendedByLeader = recordExtensions(leader);
  const extendedByWorker = recordExtensions(worker!);

  await worker!.click('input[name="purpose"]');
  // 12 × 10 s = two idle timeouts of typing in the visible follower.
  for (let i = 0; i < 12; i++) {
    await worker!.keyboard.type('ab');
    await worker!.waitForTimeout(150);
    await w.advance(10_000);
  }
  await worker!.waitForTimeout(500);

  const after = await w.status();
  expect(after.state).toBe('active');
  expect(after.idleExpiresAt!).toBeGreaterThan(before.idleExpiresAt! + IDLE_MS);
  await expectState([worker!], 'active');
  expect((await snapshot(leader)).state).toBe('active');
  expect(await worker!.locator('dialog[open]').count()).toBe(0);
  // The hidden leader sent every extension: N tabs cost the server what one does.
  expect(extendedByLeader.length).toBeGreaterThanOrEqual(2);
  expect(extendedByWorker).toEqual([]);
  expect(await leader.evaluate(() => document.visibilityState)).toBe('hidden');
});

it('re-checks with the server when the browser resumes a frozen background tab, so a session that ended meanwhile shows as ended', async () => {
  const [w, tab] = await signedInTab();
  await leave(w, tab);
  // The browser freezes the background tab (as Chrome does to save power): nothing runs in it.
  const cdp = await w.context.newCDPSession(tab);
  await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
  // Meanwhile the session ends on the server. The tab's clock did not move, so nothing in
  // the tab can know; only asking the server can tell it.
  w.server.advanceServerOnly(IDLE_MS + 5_000);
  expect((await w.status()).state).toBe('none');

  await cdp.send('Page.setWebLifecycleState', { state: 'active' });
  await expect.poll(async () => (await snapshot(tab)).state, { timeout: 3000 }).toBe('expired');
  expect((await snapshot(tab)).lastReason).toBe('idle-timeout');
  expect(await lifecycleSeen(tab)).toEqual(['hidden', 'freeze', 'resume']);
  await cdp.detach();
});

// Fails today: a defect in the client. The `fetch` wrapper re-authenticates on a session 401
// whatever the tab's visibility, so with "remember me" the app's background polling from a
// hidden tab signs an idle person back in after each idle timeout, and the timeout never
// takes effect for them: the session a hidden tab's passive requests may not keep alive is
// made again instead.
it('does not sign an idle person back in from a background tab: its polling after the idle timeout leaves them signed out', async () => {
  const [w, tab] = await signedInTab({ remember: true });
  await leave(w, tab);
  await w.advance(5 * 60_000);
  await expect.poll(async () => (await snapshot(tab)).state).toBe('expired');
  expect((await w.status()).reason).toBe('idle-timeout');

  // The app's notification poll, from the tab nobody is looking at.
  const polled = await tab.evaluate(async () => {
    const client = (window as unknown as Demo).lifelineDemo.client;
    return client.fetch('/api/notifications').then(
      (res) => res.status,
      (error: Error) => error.name,
    );
  });
  expect(polled).toBe('SessionExpiredError');
  expect((await w.status()).state).toBe('none');
  expect((await snapshot(tab)).state).toBe('expired');
});
