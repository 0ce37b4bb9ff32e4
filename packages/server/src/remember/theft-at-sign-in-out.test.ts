import { describe, expect, it } from 'vitest';
import { Browser, routesTestApp } from '../routes/test-app.fixture.js';
import type { SessionManager } from '../session/types.js';
import type { RememberEvent } from './options.js';

const MIN = 60_000;
const REMEMBER = 'lifeline_remember';

/**
 * The docs' app: its remember-me theft hook ends all of the user's sessions. A victim
 * signed in with "remember me", and a thief who copied the cookie and used it on
 * `/session/reauth` (the credential rotated: the victim's validator is the replaced one).
 */
async function stolenAndUsed() {
  const events: RememberEvent[] = [];
  let manager: SessionManager | undefined;
  const t = routesTestApp({
    remember: {
      onEvent: async (e) => {
        events.push(e);
        if (e.type === 'theft-suspected' && e.userId) await manager?.revokeUser(e.userId);
      },
    },
  });
  manager = t.manager;
  const victim = new Browser(t.app);
  await victim.post('/login?remember=1');
  const thief = new Browser(t.app);
  thief.cookies.set(REMEMBER, victim.cookies.get(REMEMBER)!);
  expect((await thief.post('/session/reauth')).status).toBe(200);
  const credentialId = events.at(-1)!.credentialId;
  return { ...t, events, victim, thief, credentialId };
}

const state = async (b: Browser) => (await (await b.get('/session/status')).json()).state;

describe('a stolen remember-me cookie its thief has used, shown by its victim', () => {
  it('on sign-out: reported as theft as /reauth would, the thief signed out, the sign-out done', async () => {
    const t = await stolenAndUsed();
    t.clock.advance(MIN); // past the 10 s grace: the victim holds the replaced validator
    const res = await t.victim.post('/session/logout');
    expect(res.status).toBe(200);
    expect(t.events.at(-1)).toMatchObject({
      type: 'theft-suspected',
      credentialId: t.credentialId,
      userId: 'u1',
    });
    expect(await state(t.thief)).toBe('none');
    expect(t.victim.cookies.has(REMEMBER)).toBe(false);
    expect(t.victim.cookies.has('lifeline')).toBe(false);
    expect(await t.store.getCredential(t.credentialId)).toBeNull();
  });

  it('on a sign-in with "remember me": reported as theft, the thief signed out', async () => {
    const t = await stolenAndUsed();
    t.clock.advance(MIN);
    expect((await t.victim.post('/login?remember=1')).status).toBe(200);
    expect(t.events.map((e) => e.type)).toContain('theft-suspected');
    expect(await state(t.thief)).toBe('none');
    expect(await t.store.getCredential(t.credentialId)).toBeNull();
  });

  it('on a sign-in with "remember me" its own report revoked: no cookie of a deleted credential', async () => {
    const t = await stolenAndUsed();
    t.clock.advance(MIN);
    // The app's hook revoked the user's sessions, the sign-in's new one too; the credential
    // it then issued was deleted at commit. Before, its cookie still went out, and /status
    // offered a re-auth (`canReauth: true`) that could only fail.
    const res = await t.victim.post('/login?remember=1');
    const line = res.headers.getSetCookie().find((l) => l.startsWith(`${REMEMBER}=`));
    expect(line).toMatch(/Max-Age=0/);
    expect(t.victim.cookies.has(REMEMBER)).toBe(false);
    expect(await (await t.victim.get('/session/status')).json()).toMatchObject({
      state: 'none',
      canReauth: false,
    });
  });

  it('on a sign-in without it: reported as theft and the credential deleted, though the same user', async () => {
    const t = await stolenAndUsed();
    t.clock.advance(MIN);
    await t.victim.post('/login');
    expect(t.events.at(-1)).toMatchObject({ type: 'theft-suspected', userId: 'u1' });
    expect(await t.store.getCredential(t.credentialId)).toBeNull();
    expect(t.victim.cookies.has(REMEMBER)).toBe(false);
  });

  it('on a sign-in as another user: reported as theft, the thief signed out', async () => {
    const t = await stolenAndUsed();
    t.clock.advance(MIN);
    await t.victim.post('/login?user=u2');
    expect(t.events.at(-1)).toMatchObject({ type: 'theft-suspected', userId: 'u1' });
    expect(await state(t.thief)).toBe('none');
    expect(await state(t.victim)).toBe('active');
  });

  it('within the grace window it is a parallel use: forgotten, no theft', async () => {
    const t = await stolenAndUsed();
    t.clock.advance(5_000);
    expect((await t.victim.post('/session/logout')).status).toBe(200);
    expect(t.events.map((e) => e.type)).toEqual(['issued', 'used', 'forgotten']);
  });
});
