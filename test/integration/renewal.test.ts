import { afterEach, expect, it } from 'vitest';
import { until, world } from './renewal.fixture.js';
import { MINUTE, SECOND } from './security/harness.js';

let w: Awaited<ReturnType<typeof world>> | undefined;
afterEach(async () => {
  await w?.srv.close();
  w = undefined;
});

const SESSION = {
  idleTimeout: 10 * MINUTE,
  absoluteTimeout: 60 * MINUTE,
  rotationInterval: 2 * MINUTE,
  rotationGrace: 10 * SECOND,
};

/** A real server, a browser signed in on it (`query` for the login), and two tabs. */
async function signedInTabs(query = '') {
  const x = await world({ session: SESSION });
  w = x; // closed after the test
  expect((await x.jar.fetch(`/login/alice${query}`, { method: 'POST' })).status).toBe(200);
  const [a, b] = [await x.open(), await x.open()];
  await x.settle();
  return { x, a, b };
}

/** Holds the next request to `path` on its way to the server; resolves to its release. */
function holdNext(j: NonNullable<typeof w>['jar'], path: string) {
  let release!: () => void;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  j.setHold((req) => (new URL(req.url).pathname === path ? held : undefined));
  return async () => {
    await new Promise((r) => setTimeout(r, 20)); // it has left with the old cookie
    j.setHold(null);
    return release;
  };
}

const endings = (x: NonNullable<typeof w>) =>
  x.events.filter((e) => e.type === 'expired' || e.type === 'signed-out');

it('keeps every tab signed in when a read was on its way across a privilege change in another tab', async () => {
  const { x, a, b } = await signedInTabs();
  const sent = holdNext(x.jar, '/api/me');
  const read = b.client.fetch('/api/me');
  const release = await sent();
  expect((await a.client.fetch('/elevate', { method: 'POST' })).status).toBe(200);
  release();
  // The server answers 409 session_renewed to the old cookie; the client repeats the read.
  expect((await read).status).toBe(200);
  await x.settle();
  expect(x.jar.log.filter((l) => l.path === '/api/me').map((l) => l.status)).toEqual([409, 200]);
  expect(endings(x)).toEqual([]);
  expect([a, b].map((t) => t.client.getSnapshot().state)).toEqual(['active', 'active']);
  expect(x.count('POST', '/session/reauth')).toBe(0);
  expect((await (await x.jar.fetch('/session/status')).json()).state).toBe('active');
});

it('keeps every tab signed in, with no re-auth, when a status check was on its way across a privilege change', async () => {
  const { x, a, b } = await signedInTabs('?remember=1');
  const sent = holdNext(x.jar, '/session/status');
  const check = b.client.refresh();
  const release = await sent();
  expect((await a.client.fetch('/elevate', { method: 'POST' })).status).toBe(200);
  release();
  await check;
  await x.run(3 * SECOND); // the check is retried with the new cookie
  expect(endings(x)).toEqual([]);
  expect([a, b].map((t) => t.client.getSnapshot().state)).toEqual(['active', 'active']);
  expect(x.count('POST', '/session/reauth')).toBe(0);
});

it('shows no ending while a re-auth from a live session is still answering and another tab checks', async () => {
  const { x, a, b } = await signedInTabs('?remember=1');
  let release!: () => void;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  // The server has renewed the session; its answer (and new cookie) is slow to arrive.
  x.jar.setHoldAnswer((req) =>
    new URL(req.url).pathname === '/session/reauth' ? held : undefined,
  );
  const reauth = a.client.reauthenticate();
  await until(() => x.jar.log.some((l) => l.path === '/session/reauth' && l.status !== undefined));
  x.jar.setHoldAnswer(null);
  await b.client.refresh(); // with the cookie the re-auth replaced
  await x.settle();
  release();
  expect(await reauth).toBe(true);
  await x.run(3 * SECOND);
  expect(endings(x)).toEqual([]);
  expect([a, b].map((t) => t.client.getSnapshot().state)).toEqual(['active', 'active']);
});

/**
 * A write that lost to a renewal after its handler ran is answered 409 `session_renewed`
 * with `handled: true`: whatever else the handler did (an order placed) has happened.
 */
async function writeAcrossElevation(method: 'GET' | 'POST') {
  const { x, a, b } = await signedInTabs();
  const gate = x.srv.gate('order');
  const order = b.client.fetch('/slow/order', { method });
  await gate.entered; // inside the handler, the session read with the old cookie
  expect((await a.client.fetch('/elevate', { method: 'POST' })).status).toBe(200);
  gate.open();
  const res = await order;
  await x.settle();
  expect(endings(x)).toEqual([]);
  expect([a, b].map((t) => t.client.getSnapshot().state)).toEqual(['active', 'active']);
  expect(x.count('POST', '/session/reauth')).toBe(0);
  return { x, res, runs: x.jar.log.filter((l) => l.path === '/slow/order').map((l) => l.status) };
}

it('does not repeat a POST whose handler ran before a privilege change in another tab', async () => {
  const { res, runs } = await writeAcrossElevation('POST');
  // One click, one order: the refusal goes back to the app, which alone knows what ran.
  expect(runs).toEqual([409]);
  expect(res.status).toBe(409);
  expect(await res.json()).toMatchObject({ code: 'session_renewed', handled: true });
});

it('repeats a GET whose session write lost to a privilege change in another tab', async () => {
  const { x, res, runs } = await writeAcrossElevation('GET');
  // Idempotent (RFC 9110): repeated with the new cookie, and its write lands this time.
  expect(runs).toEqual([409, 200]);
  expect(res.status).toBe(200);
  expect((await (await x.jar.fetch('/session/status')).json()).state).toBe('active');
});
