import { afterEach, expect, it } from 'vitest';
import { createFakeServer, createSimulatedBrowser, flush } from '../testing/index.js';

const MIN = 60_000;
// The prototype that gives a Request's signal its addEventListener in this environment.
let owner: object | null = new Request('http://app.test/').signal;
while (owner && !Object.hasOwn(owner, 'addEventListener')) owner = Object.getPrototypeOf(owner);
const proto = owner as EventTarget;
const add = proto.addEventListener;
const remove = proto.removeEventListener;
afterEach(() => {
  proto.addEventListener = add;
  proto.removeEventListener = remove;
});

// An app that passes one long-lived signal (its router's, a page-wide AbortController) to
// every call: each call that re-authenticated leaves an `abort` listener (holding its
// Request) on a signal that follows the caller's, for as long as the caller's signal lives.
it('a call that re-authenticated and replayed leaves no abort listener behind', async () => {
  const live = new Set<unknown>();
  let added = 0;
  proto.addEventListener = function (this: EventTarget, type: string, fn: never, o?: never) {
    if (type === 'abort' && String(fn).includes('renewing')) {
      live.add(fn);
      added++;
    }
    return add.call(this, type, fn, o);
  } as typeof add;
  proto.removeEventListener = function (this: EventTarget, type: string, fn: never, o?: never) {
    live.delete(fn);
    return remove.call(this, type, fn, o);
  } as typeof remove;

  const browser = createSimulatedBrowser();
  const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: 10 * MIN });
  server.signIn();
  const tab = browser.openTab({ fetch: server.fetch }); // re-auth by the endpoint
  await browser.clock.advanceAsync(0);
  await flush();
  const page = new AbortController(); // lives as long as the page
  server.end('idle-timeout');
  live.clear();
  const res = await tab.client.fetch('/api/data', { signal: page.signal });
  expect(res.status).toBe(200); // re-authenticated and replayed
  expect(server.calls.get('/session/reauth')).toBe(1);
  expect(added).toBe(1); // the wrapper's listener was seen, so its removal is what counts
  expect(live.size).toBe(0);
  tab.close();
});
