import type Redis from 'ioredis';
import { describe, expect, it } from 'vitest';
import { Browser, routesTestApp } from '../routes/test-app.fixture.js';
import { redisStore } from './index.js';
import { uniquePrefix, useRedis } from './redis.fixture.js';

let client: Redis;
const prefix = uniquePrefix('linked-credential');
const AS_LAPTOP = { headers: { 'User-Agent': 'Laptop' } };
let apps = 0;

useRedis(
  () => prefix,
  (c) => {
    client = c;
  },
);

/** The route test app on the Redis store; its clock starts now, as Redis expiry runs on real time. */
async function onRedis() {
  // A prefix per app: every test signs in the same user id.
  const own = `${prefix}${++apps}:`;
  const store = () => redisStore({ client, prefix: own });
  const t = routesTestApp({ store, clockStart: Date.now() });
  const laptop = new Browser(t.app);
  await laptop.send('POST', '/login?remember=1', AS_LAPTOP);
  const phone = new Browser(t.app);
  await phone.send('POST', '/login', { headers: { 'User-Agent': 'Phone' } });
  const laptopId = async () =>
    (await t.manager.listForUser('u1')).find((s) => s.userAgent === 'Laptop')!.id;
  const reauth = () => laptop.send('POST', '/session/reauth', AS_LAPTOP);
  const key = (sid: string) => `${own}s:{${sid}}`;
  return { ...t, laptop, phone, laptopId, reauth, key };
}

describe('the remember-me credential linked to a session, on Redis', () => {
  it('is recorded at login, carried through re-auth and deleted with a revocation', async () => {
    const t = await onRedis();
    const first = await t.laptopId();
    const linked = (await t.manager.get(first))?.credentialId;
    expect(await client.hget(t.key(first), 'm:credentialId')).toBe(JSON.stringify(linked));
    t.clock.advance(31 * 60_000); // idle timeout: the credential brings the device back
    expect((await t.reauth()).status).toBe(200);
    const renewed = await t.laptopId();
    expect((await t.manager.get(renewed))?.credentialId).toBe(linked);
    // Signed in with a password, the phone may end the laptop's session.
    await t.phone.send('POST', '/login', { headers: { 'User-Agent': 'Phone' } });
    const res = await t.phone.post('/session/sessions/revoke', { id: renewed });
    expect(await res.json()).toEqual({ revoked: 1, currentEnded: false });
    expect(await t.store.getCredential(linked!)).toBeNull();
    expect((await t.reauth()).status).toBe(401);
  });

  it('two tabs re-authenticating at once with one cookie both get a session, linked to it', async () => {
    const t = await onRedis();
    t.clock.advance(31 * 60_000);
    const tab = new Browser(t.app);
    for (const [name, value] of t.laptop.cookies) tab.cookies.set(name, value);
    const replies = await Promise.all([t.reauth(), tab.send('POST', '/session/reauth', AS_LAPTOP)]);
    expect(replies.map((r) => r.status)).toEqual([200, 200]);
    // Both hold the same, current remember-me cookie, which goes on working.
    expect(tab.cookies.get('lifeline_remember')).toBe(t.laptop.cookies.get('lifeline_remember'));
    const laptops = (await t.manager.listForUser('u1')).filter((s) => s.userAgent === 'Laptop');
    expect(laptops).toHaveLength(2);
    const links = await Promise.all(
      laptops.map(async (s) => (await t.manager.get(s.id))?.credentialId),
    );
    expect(new Set(links).size).toBe(1);
    t.clock.advance(31 * 60_000);
    expect((await t.reauth()).status).toBe(200);
  });

  it('reads a session stored without the field (an older record) as live and linking none', async () => {
    const t = await onRedis();
    const id = await t.laptopId();
    const linked = (await t.manager.get(id))?.credentialId;
    await client.hdel(t.key(id), 'm:credentialId');
    const status = await (await t.laptop.get('/session/status')).json();
    expect(status).toMatchObject({ state: 'active' });
    expect((await t.manager.get(id))?.credentialId).toBeUndefined();
    // Nothing links the credential yet: revoking leaves it, and re-auth links the next session.
    await t.manager.revoke(id);
    expect(await t.store.getCredential(linked!)).not.toBeNull();
    expect((await t.reauth()).status).toBe(200);
    expect((await t.manager.get(await t.laptopId()))?.credentialId).toBe(linked);
  });
});
