import { describe, expect, it } from 'vitest';
import { Browser } from '../routes/test-app.fixture.js';
import { randomKey, sessionRecord } from '../testing/fixtures.js';
import { raceApp } from './race.fixture.js';

type Race = ReturnType<typeof raceApp>;

/** Runs `during` while `manager.revoke(id)` has read the session and waits to end it. */
async function revokeAcross(t: Race, id: string, during: () => Promise<void>) {
  const ending = t.ending.hold();
  const revoking = t.manager.revoke(id);
  await ending;
  await during();
  t.ending.release();
  await revoking;
}

/** The id of the session `b` (default: the race app's browser) holds. */
async function currentId(t: Race, b = t.browser): Promise<string> {
  const { sessions } = await (await b.get('/session/sessions')).json();
  return sessions.find((s: { current: boolean }) => s.current).id;
}

describe('a revocation that a request renews the session under', () => {
  it('revokeUser also ends the successor of a session a privilege change renewed after the listing', async () => {
    const t = raceApp();
    await t.browser.post('/login');
    const elevating = t.handler.hold();
    const elevated = t.browser.post('/elevate');
    await elevating;
    // revokeUser has listed the session and waits (a store round trip) before ending it...
    const listing = t.listed.hold();
    const revoking = t.manager.revokeUser('u1');
    await listing;
    // ...while the privilege change ends it as `regenerated` and makes its successor.
    t.handler.release();
    expect((await elevated).status).toBe(200);
    t.listed.release();
    expect(await revoking).toBe(1);
    expect(await t.live()).toHaveLength(0);
    expect(await t.state()).toBe('none');
  });

  it('manager.revoke(id) follows the device when the session moves on between its read and its end', async () => {
    const t = raceApp();
    await t.browser.post('/login?remember=1');
    const [listed] = await t.live();
    await revokeAcross(t, listed!.id, async () => {
      expect((await t.browser.post('/session/reauth')).status).toBe(200); // moves on
    });
    expect(await t.live()).toHaveLength(0);
    expect((await t.browser.post('/session/reauth')).status).toBe(401);
  });
});

describe('a revocation racing requests of the session it ends', () => {
  it('manager.revoke(id) follows a privilege change that renews the session between its read and its end', async () => {
    const t = raceApp();
    await t.browser.post('/login'); // no remember-me: nothing but the renewal links the two
    const [listed] = await t.live();
    await revokeAcross(t, listed!.id, async () => {
      expect((await t.browser.post('/elevate')).status).toBe(200);
    });
    expect(await t.live()).toHaveLength(0);
    expect(await t.state()).toBe('none');
  });

  it('manager.revoke(id) also deletes a credential a request linked while it ran', async () => {
    const t = raceApp();
    await t.browser.post('/login');
    const [listed] = await t.live();
    // Read with no credential yet; the credential is linked before the end.
    await revokeAcross(t, listed!.id, async () => {
      expect((await t.browser.post('/remember-device')).status).toBe(200);
    });
    expect((await t.browser.post('/session/reauth')).status).toBe(401);
  });

  it("revokeUser({ exceptId }) keeps the excepted session's successor while ending another's", async () => {
    const t = raceApp();
    const other = new Browser(t.app);
    await t.browser.post('/login');
    await other.post('/login');
    const mine = await currentId(t);
    const listing = t.listed.hold();
    const revoking = t.manager.revokeUser('u1', { exceptId: mine });
    await listing;
    expect((await other.post('/elevate')).status).toBe(200);
    expect((await t.browser.post('/elevate')).status).toBe(200);
    t.listed.release();
    expect(await revoking).toBe(1);
    expect(await t.state()).toBe('active');
    expect(await t.state(other)).toBe('none');
  });

  it("never follows a successor into another user's session (store content gone wrong)", async () => {
    const t = raceApp();
    await t.browser.post('/login');
    const [mine] = await t.live();
    const theirs = randomKey('sid');
    const until = Date.now() + 3_600_000;
    await t.store.create(theirs, sessionRecord({ userId: 'u2' }), until);
    const forged = { reason: 'revoked', detail: 'regenerated', at: 1, successor: theirs } as const;
    await t.store.end(mine!.id, forged, until);
    await t.manager.revoke(mine!.id);
    expect(await t.manager.revokeUser('u1')).toBe(0);
    expect((await t.store.get(theirs))?.ended).toBeNull();
  });

  it("revokeUser({ exceptId }) keeps the caller's device when another of its tabs renewed that session first", async () => {
    const t = raceApp();
    const other = new Browser(t.app);
    await t.browser.post('/login');
    await other.post('/login');
    const mine = await currentId(t);
    expect((await t.browser.post('/elevate')).status).toBe(200); // another tab, same cookie jar
    expect(await t.manager.revokeUser('u1', { exceptId: mine })).toBe(1);
    expect(await t.state()).toBe('active');
    expect(await t.state(other)).toBe('none');
  });

  it('manager.revoke(id) follows the device through a renewal, a timeout and a re-auth', async () => {
    const t = raceApp();
    await t.browser.post('/login?remember=1');
    const [first] = await t.live();
    expect((await t.browser.post('/elevate')).status).toBe(200);
    t.clock.advance(31 * 60_000); // the renewed session times out; the device re-authenticates
    expect((await t.browser.post('/session/reauth')).status).toBe(200);
    await t.manager.revoke(first!.id); // the id a list showed before all that
    expect(await t.state()).toBe('none');
    expect((await t.browser.post('/session/reauth')).status).toBe(401);
  });

  it("manager.revoke(id) ends the device's other sessions sharing its remember-me credential", async () => {
    const t = raceApp();
    await t.browser.post('/login?remember=1');
    const [first] = await t.live();
    t.clock.advance(31 * 60_000); // idles out, and no request marks it ended
    t.browser.cookies.delete('lifeline'); // a browser restart: the remember cookie alone
    expect((await t.browser.post('/session/reauth')).status).toBe(200);
    await t.manager.revoke(first!.id);
    expect(await t.state()).toBe('none');
  });

  it('manager.revoke(id) also ends a device session past its idle deadline that a request in flight could revive', async () => {
    const t = raceApp();
    await t.browser.post('/login?remember=1');
    const [first] = await t.live();
    expect((await t.browser.post('/elevate')).status).toBe(200);
    t.clock.advance(31 * 60_000);
    expect((await t.browser.post('/session/reauth')).status).toBe(200);
    t.clock.advance(30 * 60_000 - 1000); // the re-auth's session, 1 s before its idle deadline
    const entered = t.handler.hold();
    const writing = t.browser.post('/write'); // resolved live, held in its handler
    await entered;
    t.clock.advance(2000);
    await t.manager.revoke(first!.id);
    t.handler.release();
    await writing;
    expect(await t.state()).toBe('none');
    expect(await t.live()).toHaveLength(0);
  });
});
