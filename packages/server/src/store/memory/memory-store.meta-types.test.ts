import { describe, expect, it } from 'vitest';
import { Browser, routesTestApp } from '../../routes/test-app.fixture.js';

// The memory store guards its fixed meta "even from untyped callers", but takes any value
// for the rest: a patch `{ meta: { userId: 5 } }` is stored and read back as it is. The
// Redis store writes it too and then reads the record as corrupt (the session is lost);
// the memory store hands it to the middleware, and `GET /session/sessions` answers 500.
describe('memoryStore: a patch whose meta has the wrong types', () => {
  it('is refused, or never answered as a 5xx by the session routes', async () => {
    const { app, store, clock } = routesTestApp();
    const browser = new Browser(app);
    await browser.post('/login');
    const { sessions } = await (await browser.get('/session/sessions')).json();
    const sid = sessions[0].id as string;
    let refused = false;
    try {
      await store.update(sid, { meta: { userId: 5 as never } }, clock.now() + 3_600_000);
    } catch (error) {
      refused = error instanceof TypeError;
    }
    if (refused) return;
    const res = await browser.get('/session/sessions');
    expect(res.status).toBeLessThan(500);
  });
});
