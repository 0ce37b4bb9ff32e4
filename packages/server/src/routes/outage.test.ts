import { describe, expect, it } from 'vitest';
import { Browser, routesTestApp, switchableStore } from './test-app.fixture.js';

async function signedInWithOutageSwitch() {
  const outage = switchableStore();
  const t = routesTestApp({ store: outage.store });
  const browser = new Browser(t.app);
  await browser.post('/login?remember=1');
  return { ...t, browser, outage };
}

async function expectUnavailable(res: Response) {
  expect(res.status).toBe(503);
  expect(await res.json()).toMatchObject({ code: 'store_unavailable' });
  expect(res.headers.getSetCookie().filter((l) => l.includes('Max-Age=0'))).toEqual([]);
}

describe('session routes during a store outage', () => {
  it('answer 503 store_unavailable and keep every cookie; all works again afterwards', async () => {
    const { browser, outage } = await signedInWithOutageSwitch();
    const cookies = new Map(browser.cookies);
    outage.set(true);
    await expectUnavailable(await browser.post('/session/reauth'));
    await expectUnavailable(await browser.post('/session/logout'));
    await expectUnavailable(await browser.get('/session/sessions'));
    expect(browser.cookies).toEqual(cookies);
    outage.set(false);
    expect(await (await browser.get('/session/status')).json()).toMatchObject({ state: 'active' });
    expect((await browser.post('/session/reauth')).status).toBe(200);
  });
});
