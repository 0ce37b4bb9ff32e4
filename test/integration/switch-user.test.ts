import { SessionExpiredError } from '@lifeline/client';
import { afterEach, expect, it } from 'vitest';
import { world } from './renewal.fixture.js';
import { MINUTE, SECOND } from './security/harness.js';

let w: Awaited<ReturnType<typeof world>> | undefined;
afterEach(async () => {
  await w?.srv.close();
  w = undefined;
});

/**
 * A real server and one browser with two tabs, signed in as alice (with remember-me, so
 * a re-auth would succeed). Tab `a` signs in as bob while a request of tab `b`, sent with
 * alice's cookie, is held on its way to the server: the SDK must not run it again as bob.
 */
async function switchingBrowser() {
  const x = await world({
    session: { idleTimeout: 10 * MINUTE, absoluteTimeout: 60 * MINUTE, rotationGrace: 10 * SECOND },
  });
  w = x;
  expect((await x.jar.fetch('/login/alice?remember=1', { method: 'POST' })).status).toBe(200);
  const [a, b] = [await x.open(), await x.open()];
  await x.settle();
  return { x, a, b };
}

type Tabs = Awaited<ReturnType<typeof switchingBrowser>>;

/** Alice's privilege change: her session renewed into another before bob signs in. */
const elevate = async ({ a }: Tabs) => {
  expect((await a.client.fetch('/elevate', { method: 'POST' })).status).toBe(200);
};

/** Alice signs out first, as on a shared computer before the next person signs in. */
const signOut = async ({ a }: Tabs) => {
  expect(await a.client.logout()).toBe(true);
};

/**
 * Sends `path` from tab `b`, lets tab `a` do `first` and sign in as bob while it is on its
 * way, then lets it go: its answer, or what the call rejected with.
 */
async function acrossSwitch(
  t: Tabs,
  path: string,
  init?: RequestInit,
  first?: (t: Tabs) => Promise<void>,
) {
  const { x, a, b } = t;
  let release!: () => void;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  x.jar.setHold((req) => (new URL(req.url).pathname === path ? held : undefined));
  const call = b.client.fetch(path, init);
  await new Promise((r) => setTimeout(r, 20)); // it has left with alice's cookie
  x.jar.setHold(null);
  await first?.(t);
  x.clock.advance(SECOND); // the person takes a moment to switch accounts
  expect((await a.client.fetch('/login/bob', { method: 'POST' })).status).toBe(200);
  await x.settle();
  release();
  const res: Response | Error = await call.catch((error: Error) => error);
  await x.settle();
  return { res, sent: x.jar.log.filter((l) => l.path === path).map((l) => l.status) };
}

it('hands a DELETE sent as alice, arriving after bob signed in, back to the app instead of running it as bob', async () => {
  const t = await switchingBrowser();
  const { res, sent } = await acrossSwitch(t, '/api/items/1', { method: 'DELETE' });
  if (res instanceof Error) throw res;
  // Before, the 401 was followed by bob's session (just learned of) and the DELETE was
  // repeated with bob's cookie: [401, 200], `deletedBy: 'bob'`.
  expect(sent).toEqual([409]);
  expect(res.status).toBe(409);
  expect(await res.json()).toMatchObject({ code: 'session_switched' });
  expect(t.x.count('POST', '/session/reauth')).toBe(0);
  // Both tabs are on bob's session, and neither was told alice's ended for a timeout.
  expect([t.a, t.b].map((tab) => tab.client.getSnapshot().state)).toEqual(['active', 'active']);
  expect(t.x.events.filter((e) => e.type === 'expired')).toEqual([]);
  expect(await (await t.x.jar.fetch('/api/me')).json()).toEqual({ userId: 'bob' });
});

it("does not answer a read sent as alice with bob's data", async () => {
  const t = await switchingBrowser();
  const { res, sent } = await acrossSwitch(t, '/api/me');
  if (res instanceof Error) throw res;
  expect(sent).toEqual([409]);
  expect(res.status).toBe(409);
  expect(t.x.count('POST', '/session/reauth')).toBe(0);
});

it("does the same after alice's privilege change, which renewed her session before bob's sign-in", async () => {
  const t = await switchingBrowser();
  const { res, sent } = await acrossSwitch(t, '/api/items/1', { method: 'DELETE' }, elevate);
  if (res instanceof Error) throw res;
  // Before, 409 session_renewed, which the SDK repeats: [409, 200], `deletedBy: 'bob'`.
  expect(sent).toEqual([409]);
  expect(await res.json()).toMatchObject({ code: 'session_switched' });
});

it('rejects, never repeats as bob, a DELETE alice sent before she signed out and bob signed in', async () => {
  const t = await switchingBrowser();
  const { res, sent } = await acrossSwitch(t, '/api/items/1', { method: 'DELETE' }, signOut);
  // The server answers alice's ended session 401 (the sign-in did not replace it: it had
  // ended). Before, the SDK took bob's session, learned of since, for the answer to it and
  // repeated the DELETE with his cookie: [401, 200], `deletedBy: 'bob'`.
  expect(sent).toEqual([401]);
  expect(res).toBeInstanceOf(SessionExpiredError);
  expect(t.x.count('POST', '/session/reauth')).toBe(0);
  expect(await (await t.x.jar.fetch('/api/me')).json()).toEqual({ userId: 'bob' });
});
