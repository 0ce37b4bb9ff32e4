import { describe, expect, it } from 'vitest';
import { Browser, routesTestApp } from '../routes/test-app.fixture.js';
import { seededToken } from '../session/seeded.js';
import { createHasher } from '../token/hasher.js';
import { tokenFromValue } from '../token/token.js';
import type { RememberEvent } from './options.js';
import { sessionSeed } from './successor.js';

const MIN = 60_000;
const REMEMBER = 'lifeline_remember';

/**
 * A session token must not be computable by anyone but the server (docs/security.md,
 * item 1). A copied remember-me cookie may at most be used at `/reauth`, where the use
 * rotates it and the device's next use reports the theft; it must not also open the
 * session that the device's last re-auth created, silently.
 */
describe('the session a remember-me re-auth creates', () => {
  it('cannot be opened with a cookie computed from the remember-me cookie and the user id', async () => {
    const events: RememberEvent[] = [];
    const t = routesTestApp({
      remember: {
        onEvent: (e) => {
          events.push(e);
        },
      },
    });
    const device = new Browser(t.app);
    await device.post('/login?remember=1');
    t.clock.advance(31 * MIN);
    expect((await device.post('/session/reauth')).status).toBe(200);

    // What someone holding a copy of the device's remember-me cookie alone can compute.
    const credential = tokenFromValue(device.cookies.get(REMEMBER)!)!;
    const id = createHasher().sid(credential);
    const computed = await seededToken(await sessionSeed(credential, id), 'u1');

    const attacker = new Browser(t.app);
    attacker.cookies.set('lifeline', computed.value);
    const status = await (await attacker.get('/session/status')).json();
    expect(status.state).toBe('none');
    expect(events.map((e) => e.type)).toEqual(['issued', 'used']);
  });
});
