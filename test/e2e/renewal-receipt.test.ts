import { expect, it } from 'vitest';
import { DEMO_ENV } from './env.js';
import { expectState, signIn, worldPerTest } from './world.js';

const startWorld = worldPerTest();

it('keeps the person signed in when Chromium is left the cookie of a session a renewal ended, and a sign-out clears the receipt', async () => {
  const world = await startWorld(DEMO_ENV);
  const [tab] = await world.openTabs(1);
  await signIn(tab!);
  const cookie = async (name: string) =>
    (await world.context.cookies()).find((c) => c.name === name);
  const ended = await cookie('lifeline');
  expect(await cookie('lifeline-renewed')).toBeUndefined(); // a sign-in from no session
  // A second sign-in, sent by the page with the first session's cookie: a renewal.
  const status = await tab!.evaluate(async () => {
    const res = await fetch('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'Session-Request': '1' },
      body: JSON.stringify({ username: 'demo', password: 'demo' }),
    });
    return res.status;
  });
  expect(status).toBe(200);
  const receipt = await cookie('lifeline-renewed');
  expect(receipt).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
  // What a rotation's answer crossing the renewal's leaves: the ended session's token.
  await world.context.addCookies([ended!]);
  expect((await cookie('lifeline'))!.value).toBe(ended!.value);
  await tab!.reload();
  await expectState([tab!], 'active');
  expect((await cookie('lifeline'))!.value).not.toBe(ended!.value);
  expect((await world.status()).state).toBe('active');
  await tab!.click('#sign-out');
  await expectState([tab!], 'signed-out');
  const names = (await world.context.cookies()).map((c) => c.name);
  expect(names.filter((n) => n.startsWith('lifeline'))).toEqual([]);
});
