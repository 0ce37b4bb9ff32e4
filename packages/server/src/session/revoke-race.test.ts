import { describe, expect, it } from 'vitest';
import { raceApp } from './race.fixture.js';

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
    const ending = t.ending.hold();
    const revoking = t.manager.revoke(listed!.id);
    await ending; // read the session live, about to end it
    expect((await t.browser.post('/session/reauth')).status).toBe(200); // moves on
    t.ending.release();
    await revoking;
    expect(await t.live()).toHaveLength(0);
    expect((await t.browser.post('/session/reauth')).status).toBe(401);
  });
});
