import { describe, expect, it } from 'vitest';
import { Browser, routesTestApp } from '../routes/test-app.fixture.js';

const MIN = 60_000;
const REMEMBER = 'lifeline_remember';

/**
 * A device remembered under `maxSessionsPerUser: 1`, idled out and re-authenticated (its
 * cookie's validator turned), so its live session links the credential; `stolen` is a copy
 * of the cookie from before the turn, past its grace window.
 */
async function rememberedAtTheLimit(onSessionLimit: 'refuse' | 'evict-oldest') {
  const t = routesTestApp({ session: { maxSessionsPerUser: 1, onSessionLimit } });
  const owner = new Browser(t.app);
  await owner.post('/login?remember=1');
  const stolen = owner.cookies.get(REMEMBER)!;
  t.clock.advance(31 * MIN);
  expect((await owner.post('/session/reauth')).status).toBe(200);
  expect(owner.cookies.get(REMEMBER)).not.toBe(stolen);
  t.clock.advance(MIN);
  const intruder = new Browser(t.app);
  intruder.cookies.set(REMEMBER, stolen);
  return { t, owner, intruder };
}

const state = async (b: Browser) =>
  ((await (await b.get('/touch')).json()) as { state: string }).state;

// A sign-in takes the owner's sessions linking the credential its remember-me cookie names
// for its own device's (two tabs signing in at once) and replaces them first. It used to
// take the cookie's word for it: someone with the password and an old copy of the cookie
// could so sign the owner out where the limit refuses them.
describe('a password sign-in with an old copy of the remember-me cookie, at the session limit', () => {
  it("'refuse': is refused, as without the cookie, and the owner stays signed in", async () => {
    const { owner, intruder } = await rememberedAtTheLimit('refuse');
    const res = await intruder.post('/login');
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'session_limit' });
    expect(await state(owner)).toBe('active');
  });

  it("'refuse': the device's own current cookie still replaces its other tab's session", async () => {
    const { t, owner } = await rememberedAtTheLimit('refuse');
    const tab = owner.tab();
    expect((await tab.post('/login')).status).toBe(200);
    const live = (await t.store.listByUser('u1')).filter((e) => e.record.ended === null);
    expect(live).toHaveLength(1);
  });

  it("'refuse': a cookie of another user's credential makes no room either", async () => {
    const t = routesTestApp({ session: { maxSessionsPerUser: 1, onSessionLimit: 'refuse' } });
    const owner = new Browser(t.app);
    await owner.post('/login?user=u1');
    const other = new Browser(t.app);
    await other.post('/login?user=u2&remember=1');
    // u2's cookie beside u1's password: u1's session links no credential of u2's, so this
    // is refused whatever the cookie says; and u2's credential is forgotten by nothing.
    const mixed = new Browser(t.app);
    mixed.cookies.set(REMEMBER, other.cookies.get(REMEMBER)!);
    expect((await mixed.post('/login?user=u1')).status).toBe(409);
    expect(await state(owner)).toBe('active');
  });

  it("'evict-oldest': the owner's session ends as the oldest, and the stolen credential is caught", async () => {
    const { t, owner, intruder } = await rememberedAtTheLimit('evict-oldest');
    expect((await intruder.post('/login')).status).toBe(200);
    const ended = t.events.filter((e) => e.type === 'revoked');
    expect(ended.map((e) => (e as { detail?: string }).detail)).toContain('session-limit');
    expect(await state(owner)).toBe('none');
    expect((await owner.post('/session/reauth')).status).toBe(401);
  });
});
