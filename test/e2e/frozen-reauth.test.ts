import type { Page, Route } from 'playwright-core';
import { expect, it } from 'vitest';
import { IDLE_MS } from './env.js';
import { comeBack, type Demo, signedInTabs } from './hidden-tabs.js';
import { expectState, fastForward } from './world.js';

const signedInTab = signedInTabs();

/** The client's default `requestTimeout`, which the demo keeps. */
const REQUEST_TIMEOUT = 10_000;

// The premise of the client's bounded wait for the re-auth lock: Chromium hands a Web Lock
// to a tab it has frozen (`Page.setWebLifecycleState`, as Chrome freezes a background tab to
// save power), and every other tab waits until that tab is resumed and lets go.
it('Chromium grants a waiting Web Lock request to a frozen tab, and the other tabs wait until it is resumed', async () => {
  const [w, first] = await signedInTab();
  type Locked = { granted?: string[] };
  const ask = (tab: Page, name: string) =>
    tab.evaluate((who) => {
      const page = window as unknown as Locked;
      page.granted = [];
      void navigator.locks.request('probe', async () => {
        page.granted!.push(who);
      });
    }, name);
  const granted = (tab: Page) => tab.evaluate(() => (window as unknown as Locked).granted ?? []);
  // The first tab holds the lock until told; a second, in the background, waits for it.
  await first.evaluate(() => {
    void navigator.locks.request(
      'probe',
      () =>
        new Promise<void>((release) => {
          (window as unknown as { release: () => void }).release = release;
        }),
    );
  });
  const back = await w.context.newPage();
  await back.goto(new URL('/', w.server.url).href);
  await comeBack(first);
  await ask(back, 'back');
  // The request reaches the browser's lock manager asynchronously: under load it arrived
  // after the freeze and after the first tab's next request, which then got the lock.
  const pendingProbes = () =>
    first.evaluate(
      async () =>
        ((await navigator.locks.query()).pending ?? []).filter((l) => l.name === 'probe').length,
    );
  await expect.poll(pendingProbes).toBe(1);
  const cdp = await w.context.newCDPSession(back);
  await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
  await first.evaluate(() => (window as unknown as { release: () => void }).release());
  await ask(first, 'first again');
  await first.waitForTimeout(1000);
  // The frozen tab holds the lock; its callback has not run, and the first tab still waits.
  const probe = await first.evaluate(async () => {
    const { held = [], pending = [] } = await navigator.locks.query();
    const count = (locks: LockInfo[]) => locks.filter((lock) => lock.name === 'probe').length;
    return { held: count(held), pending: count(pending) };
  });
  expect(probe).toEqual({ held: 1, pending: 1 });
  expect(await granted(first)).toEqual([]);
  await cdp.send('Page.setWebLifecycleState', { state: 'active' });
  await expect.poll(() => granted(first)).toEqual(['first again']);
  expect(await granted(back)).toEqual(['back']);
});

// A tab frozen in the middle of a re-auth holds the tabs' re-auth lock the same way. The tab
// in front must not wait for it for good: it waits as long as a live holder could take, then
// re-authenticates by itself. (Here the frozen tab's request is also held on the network and
// its clock is not moved, so its attempt cannot end by itself within the test either: what
// the test shows is the bound on a holder that does not let go.)
it('a background tab frozen mid re-auth holds up the re-auth in the tab in front for 8 × requestTimeout, not for good', async () => {
  const [w, front] = await signedInTab({ remember: true });
  // In a second tab, a re-auth ("Sign in again") whose request is slow on the network.
  const back = await w.context.newPage();
  await back.goto(new URL('/', w.server.url).href);
  await back.waitForSelector('body[data-session="active"]');
  let held: Route | undefined;
  const reached = new Promise<void>((resolve) => {
    void back.route('**/session/reauth', (route) => {
      held = route;
      resolve();
    });
  });
  await back.evaluate(() => {
    void (window as unknown as Demo).lifelineDemo.client.reauthenticate();
  });
  await reached;
  // The person goes back to the first tab; the browser freezes the one left behind.
  await comeBack(front);
  const cdp = await w.context.newCDPSession(back);
  await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });

  const reauths: string[] = [];
  front.on('request', (req) => {
    if (req.url().endsWith('/session/reauth')) reauths.push(req.method());
  });
  // The session ends at the server; the tab in front learns it from its next request.
  w.server.advanceServerOnly(IDLE_MS + 5_000);
  await front.click('#add-cart');
  const result = () => front.locator('#api-result').textContent();
  await front.waitForTimeout(1000);
  // It waits for the lock the frozen tab holds.
  expect(await result()).not.toBe('Cart: 1 item(s)');
  expect(reauths).toEqual([]);

  // Time passes in the tab in front (a frozen tab's clock stands still). Its clock also runs
  // at the real pace, so the first step stops well short of the wait.
  const wait = 8 * REQUEST_TIMEOUT;
  await w.server.advance(wait - 10_000, () => fastForward(front, wait - 10_000));
  await front.waitForTimeout(300);
  expect(reauths).toEqual([]);
  await w.server.advance(10_000, () => fastForward(front, 10_000));
  await expect.poll(result).toBe('Cart: 1 item(s)');
  expect(reauths).toEqual(['POST']);
  expect((await w.status()).state).toBe('active');

  // The frozen tab's request was lost on the network; resumed, the tab signs nobody out.
  await held!.abort();
  await cdp.send('Page.setWebLifecycleState', { state: 'active' });
  await front.waitForTimeout(500);
  await expectState([front], 'active');
  expect((await w.status()).state).toBe('active');
});
