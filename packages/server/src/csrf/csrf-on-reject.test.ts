import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { unhandledRejections } from '../events/unhandled-rejections.fixture.js';
import { sessionRoutes } from '../routes/routes.js';
import { session } from '../session/middleware.js';
import type { SessionEnv } from '../session/types.js';
import { memoryStore } from '../store/memory/index.js';
import type { CsrfGuardOptions } from './csrf.js';

// `onReject` is an audit hook ("for audit logs"), typed `(c, reason) => void`, which
// TypeScript lets an async function satisfy. The guard calls it bare: a hook that throws
// turns every forged request into a 500, and one that rejects (the audit sink is down)
// is an unhandled rejection, which ends a Node process under the default
// --unhandled-rejections=throw. session()'s and rememberMe()'s onEvent both guard theirs.
describe('csrfGuard: an onReject hook that fails', () => {
  const seen = unhandledRejections();

  function appWith(onReject: CsrfGuardOptions['onReject']) {
    const app = new Hono<SessionEnv>();
    app.use(session({ store: memoryStore() }));
    app.route('/session', sessionRoutes({ csrf: { onReject } }));
    return (path: string) =>
      app.request(`http://localhost${path}`, {
        method: 'POST',
        headers: { Origin: 'https://evil.test', 'Sec-Fetch-Site': 'cross-site' },
      });
  }

  it('still answers a forged request 403 csrf_rejected when the hook throws', async () => {
    const forged = appWith(() => {
      throw new Error('audit log unreachable');
    });
    const res = await forged('/session/logout');
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'csrf_rejected' });
  });

  it('leaves no unhandled rejection when an async hook rejects', async () => {
    const forged = appWith(async () => {
      throw new Error('audit log unreachable');
    });
    expect((await forged('/session/logout')).status).toBe(403);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen).toEqual([]);
  });
});
