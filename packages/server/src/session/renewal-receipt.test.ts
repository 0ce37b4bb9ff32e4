import { describe, expect, it } from 'vitest';
import { Browser, routesTestApp } from '../routes/test-app.fixture.js';

const MIN = 60_000;
const RECEIPT = 'lifeline-renewed';

/** A signed-in browser whose session is due for rotation, with a privilege-change route. */
async function dueForRotation() {
  const app = routesTestApp();
  app.app.post('/elevate', async (c) => {
    await c.var.session.regenerate();
    return c.json({ id: c.var.session.id });
  });
  app.app.get('/forges-receipt', (c) => {
    c.header('Set-Cookie', `${RECEIPT}=forged; Path=/`, { append: true });
    return c.json({ ok: true });
  });
  app.app.get('/whoami', (c) => c.json({ state: c.var.session.state, id: c.var.session.id }));
  const t = { ...app, browser: new Browser(app.app) };
  expect((await t.browser.post('/login')).status).toBe(200);
  t.clock.advance(16 * MIN);
  return t;
}

/** A tab of `browser` sending one request with the cookies the browser holds now. */
function tabOf(browser: Browser, app: ConstructorParameters<typeof Browser>[0]) {
  const tab = new Browser(app);
  for (const [name, value] of browser.cookies) tab.cookies.set(name, value);
  return tab;
}

/** Applies a response's `Set-Cookie` lines to `browser`, as it would on arrival. */
function arrive(browser: Browser, res: Response): void {
  for (const line of res.headers.getSetCookie()) {
    const [pair = ''] = line.split(';');
    const eq = pair.indexOf('=');
    if (/Max-Age=0(;|$)/.test(line)) browser.cookies.delete(pair.slice(0, eq));
    else browser.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
}

/**
 * The crossing: an ordinary request rotates the session (due) while a parallel one, sent
 * with the same old cookie, renews it (`path`); the renewal's answer arrives first, the
 * rotation's after it, leaving the browser a token of the ended session.
 */
async function crossed(path: string) {
  const t = await dueForRotation();
  const rotating = tabOf(t.browser, t.app);
  const renewing = tabOf(t.browser, t.app);
  const rotation = await rotating.get('/whoami');
  const renewal = await renewing.post(path);
  expect(rotation.headers.getSetCookie().some((l) => l.startsWith('lifeline='))).toBe(true);
  expect(renewal.status).toBe(200);
  arrive(t.browser, renewal);
  arrive(t.browser, rotation);
  const receipt = t.browser.cookies.get(RECEIPT);
  expect(receipt).toBeDefined();
  expect(t.browser.cookies.get('lifeline')).not.toBe(receipt);
  // The renewed session, as the renewal's own cookie names it.
  const renewed = new Browser(t.app);
  renewed.cookies.set('lifeline', receipt!);
  const { id: renewedId } = (await (await renewed.get('/whoami')).json()) as { id: string };
  return { t, renewedId };
}

describe('a rotation answer crossing a renewal answer', () => {
  for (const [what, path] of [
    ['a privilege change', '/elevate'],
    ['a sign-in', '/login'],
  ] as const) {
    it(`keeps the person signed in after ${what}, past the grace window too`, async () => {
      const { t, renewedId } = await crossed(path);
      t.clock.advance(30_000);
      const res = await t.browser.get('/whoami');
      expect(await res.json()).toEqual({ state: 'active', id: renewedId });
      // The session cookie is back on the renewed session's token; the next request needs
      // no receipt any more.
      expect(t.browser.cookies.get('lifeline')).toBe(t.browser.cookies.get(RECEIPT));
      const write = await t.browser.post('/session/extend');
      expect(write.status).toBe(200);
    });
  }

  it('without the receipt the crossed browser is signed out (what the receipt prevents)', async () => {
    const { t } = await crossed('/elevate');
    t.browser.cookies.delete(RECEIPT);
    t.clock.advance(30_000);
    expect(await (await t.browser.get('/whoami')).json()).toMatchObject({ state: 'none' });
  });

  it('a sign-out clears the receipt with the session cookie, and a kept copy brings nothing back', async () => {
    const { t } = await crossed('/elevate');
    const kept = new Map(t.browser.cookies);
    const logout = await t.browser.post('/session/logout');
    expect(logout.status).toBe(200);
    const cleared = logout.headers.getSetCookie().filter((l) => /Max-Age=0(;|$)/.test(l));
    expect(cleared.map((l) => l.split('=')[0]).sort()).toEqual(['lifeline', RECEIPT]);
    expect(t.browser.cookies.size).toBe(0);
    const replay = new Browser(t.app);
    for (const [name, value] of kept) replay.cookies.set(name, value);
    expect(await (await replay.get('/whoami')).json()).toMatchObject({ state: 'none' });
  });
});

describe('the renewal receipt', () => {
  it('is set with the session cookie by a renewal, with the same attributes', async () => {
    const t = await dueForRotation();
    const res = await t.app.request('https://app.example/elevate', {
      method: 'POST',
      headers: {
        Cookie: `__Host-lifeline=${t.browser.cookies.get('lifeline')}`,
        Origin: 'https://app.example',
        'Sec-Fetch-Site': 'same-origin',
        'Session-Request': '1',
      },
    });
    expect(res.status).toBe(200);
    const [session, receipt, ...rest] = res.headers.getSetCookie();
    expect(rest).toEqual([]);
    expect(receipt).toBe(session!.replace('__Host-lifeline=', `__Host-${RECEIPT}=`));
    expect(receipt).toMatch(/; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax; Secure$/);
  });

  it('cannot be set by a handler', async () => {
    const t = await dueForRotation();
    const res = await t.browser.get('/forges-receipt');
    expect(res.headers.getSetCookie().filter((l) => l.startsWith(`${RECEIPT}=`))).toEqual([]);
  });

  it('is not sent by a sign-in without an earlier session', async () => {
    const t = await dueForRotation();
    const fresh = new Browser(t.app);
    expect((await fresh.post('/login')).status).toBe(200);
    expect([...fresh.cookies.keys()]).toEqual(['lifeline']);
  });

  it("is cleared by the renewed session's next rotation", async () => {
    const t = await dueForRotation();
    await t.browser.post('/elevate');
    expect(t.browser.cookies.has(RECEIPT)).toBe(true);
    t.clock.advance(16 * MIN);
    const res = await t.browser.get('/whoami');
    expect(res.headers.getSetCookie().find((l) => l.startsWith(`${RECEIPT}=`))).toMatch(
      /Max-Age=0/,
    );
    expect(t.browser.cookies.has(RECEIPT)).toBe(false);
    expect(await res.json()).toMatchObject({ state: 'active' });
  });

  it('counts for nothing on its own or beside a live session cookie', async () => {
    const t = await dueForRotation();
    await t.browser.post('/elevate');
    const { id } = (await (await t.browser.get('/whoami')).json()) as { id: string };
    const alone = new Browser(t.app);
    alone.cookies.set(RECEIPT, t.browser.cookies.get(RECEIPT)!);
    expect(await (await alone.get('/whoami')).json()).toMatchObject({ state: 'none' });
    // Another person's live session cookie beside it: that session, untouched by the receipt.
    const other = new Browser(t.app);
    await other.post('/login?user=u2');
    other.cookies.set(RECEIPT, t.browser.cookies.get(RECEIPT)!);
    const res = await other.get('/whoami');
    const body = (await res.json()) as { state: string; id: string };
    expect(body.state).toBe('active');
    expect(body.id).not.toBe(id);
  });

  it('naming an ended or unknown session leaves the crossed answer as it was', async () => {
    const { t } = await crossed('/elevate');
    const receipt = t.browser.cookies.get(RECEIPT)!;
    // Revoked elsewhere (an admin): the receipt's session is over.
    const [listed] = await t.manager.listForUser('u1');
    await t.manager.revoke(listed!.id);
    t.clock.advance(30_000);
    expect(await (await t.browser.get('/whoami')).json()).toMatchObject({ state: 'none' });
    t.browser.cookies.set(
      RECEIPT,
      receipt.replace(/^./, (ch) => (ch === 'A' ? 'B' : 'A')),
    );
    const write = await t.browser.post('/session/extend');
    expect(write.status).toBe(401);
  });
});
