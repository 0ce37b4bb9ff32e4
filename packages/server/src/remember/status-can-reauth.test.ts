import { describe, expect, it } from 'vitest';
import { Browser, routesTestApp } from '../routes/test-app.fixture.js';
import { sessionStatus } from '../session/status.js';

/**
 * A login handler that answers with the status body (as the demo's does) must tell the
 * truth about `canReauth` for the cookies that response leaves the browser with, not for
 * the ones the request carried: the credential it just issued, or the one it just forgot.
 */
function app() {
  const t = routesTestApp();
  t.app.post('/login-status', async (c) => {
    // Read once before, as a handler logging the status might: it must not stick.
    const before = sessionStatus(c.var.session).canReauth;
    const userId = c.req.query('user') ?? 'u1';
    await c.var.session.regenerate({ userId, user: { name: `User ${userId}` } });
    if (c.req.query('remember') === '1') await t.remember.issue(c, userId);
    else await t.remember.forget(c);
    return c.json({ before, ...sessionStatus(c.var.session) });
  });
  return { ...t, browser: new Browser(t.app) };
}

describe('canReauth in the response that issues or forgets the credential', () => {
  it('is true in the status body of a login that issued a remember-me credential', async () => {
    const { browser } = app();
    const body = await (await browser.post('/login-status?remember=1')).json();
    expect(body).toMatchObject({ before: false, state: 'active', canReauth: true });
    // What the next request sees, for comparison.
    expect(await (await browser.get('/session/status')).json()).toMatchObject({ canReauth: true });
  });

  it('is false in the status body of a login that forgot the credential the browser held', async () => {
    const { browser } = app();
    await browser.post('/login?remember=1');
    const body = await (await browser.post('/login-status')).json();
    expect(body).toMatchObject({ before: true, state: 'active', canReauth: false });
    expect(await (await browser.get('/session/status')).json()).toMatchObject({
      canReauth: false,
    });
  });
});
