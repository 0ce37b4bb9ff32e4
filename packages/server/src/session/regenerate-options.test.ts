import { describe, expect, it } from 'vitest';
import { Browser, routesTestApp } from '../routes/test-app.fixture.js';
import type { RegenerateOptions } from './types.js';

// Every factory refuses an unknown option by name ("a misspelt option would otherwise be
// ignored"), but regenerate() does not: `regenerate({ userid })` or `regenerate('u1')`
// from JavaScript makes a new *anonymous* session and the sign-in answers 200, so the
// person is silently not signed in. `regenerate(null)` fails with "Cannot read properties
// of null (reading 'userId')" rather than naming the argument.
describe('regenerate() options it does not know', () => {
  async function signIn(options: unknown) {
    let error: unknown = null;
    const t = routesTestApp({
      appMiddleware: async (c, next) => {
        if (c.req.path !== '/signin') return next();
        try {
          await c.var.session.regenerate(options as RegenerateOptions);
        } catch (e) {
          error = e;
        }
        return c.json({ userId: c.var.session.userId });
      },
    });
    const browser = new Browser(t.app);
    const res = await browser.post('/signin');
    return { error, body: await res.json() };
  }

  it.each<[string, unknown]>([
    ['a misspelt userId', { userid: 'u1' }],
    ['a bare user id', 'u1'],
    ['null', null],
    ['a string authenticated', { userId: 'u1', authenticated: 'false' }],
    ['an unknown cause', { userId: 'u1', cause: 'signin' }],
  ])('refuses %s with a TypeError naming it', async (_, options) => {
    const { error, body } = await signIn(options);
    expect(body.userId).toBeNull();
    expect(error).toBeInstanceOf(TypeError);
    expect(String(error)).toMatch(/regenerate/);
  });
});
