import { describe, expect, it } from 'vitest';
import { createFakeServer, createSimulatedBrowser, flush } from '../testing/index.js';
import { signedInBrowser } from './signed-in.fixture.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** Collects unhandled rejections (a dispatch that threw from a request's `.then`). */
function recordUnhandled() {
  const seen: unknown[] = [];
  const on = (e: unknown) => seen.push(e);
  process.on('unhandledRejection', on);
  return { seen, stop: () => process.off('unhandledRejection', on) };
}

describe("news dated after this tab's clock, then an ending, then a new session", () => {
  // The default clock is the later of the wall clock and `timeOrigin + performance.now()`:
  // a tab opened before the computer's clock was set back an hour reads an hour ahead of
  // one opened after, for as long as it stays open. Its messages are then dated in the
  // other tab's future (the parser accepts any safe integer, so a stray message can be too).
  it('a tab whose clock reads ahead: the other tab signs out and in again without throwing', async () => {
    const browser = createSimulatedBrowser();
    const server = createFakeServer({ now: browser.clock.now, idleTimeoutMs: 10 * MIN });
    server.signIn();
    const a = browser.openTab({ fetch: server.fetch, now: () => browser.clock.now() + HOUR });
    const b = browser.openTab({ fetch: server.fetch });
    await browser.clock.advanceAsync(0);
    await flush();
    await browser.clock.advanceAsync(MIN);
    await a.client.fetch('/api/x'); // a's header news reaches b, dated by a's clock
    await flush();
    const unhandled = recordUnhandled();
    await b.client.logout();
    await flush();
    server.signIn(); // the person signs in again through the app's form (no page load)
    await browser.clock.advanceAsync(1_000);
    await b.client.refresh(); // as the docs ask after such a sign-in
    await flush();
    const res = await b.client.fetch('/api/me').then(
      (r) => r.status,
      (e: unknown) => String(e),
    );
    unhandled.stop();
    expect(unhandled.seen.map(String)).toEqual([]);
    expect(res).toBe(200);
    expect(b.client.getSnapshot().state).toBe('active');
    a.close();
    b.close();
  });

  it('a stray message with a huge sentAt: the tab keeps working after the next ending', async () => {
    const { browser, server, open, step } = signedInBrowser();
    const tab = open();
    await step(0);
    const before = tab.client.getSnapshot();
    const now = browser.clock.now();
    browser.hub.inject({
      v: 2,
      from: 'stray',
      trigger: 'response',
      type: 'header',
      idle: (before.idleExpiresAt ?? 0) + 1000,
      absolute: before.absoluteExpiresAt,
      now: now + 1000,
      sentAt: Number.MAX_SAFE_INTEGER,
      receivedAt: Number.MAX_SAFE_INTEGER,
    });
    await step(1_000);
    server.end('revoked');
    await tab.client.refresh();
    await step(0);
    expect(tab.client.getSnapshot().state).toBe('expired');
    const unhandled = recordUnhandled();
    server.signIn();
    await tab.client.refresh();
    await step(0);
    unhandled.stop();
    expect(unhandled.seen.map(String)).toEqual([]);
    expect(tab.client.getSnapshot().state).toBe('active');
    tab.close();
  });
});
