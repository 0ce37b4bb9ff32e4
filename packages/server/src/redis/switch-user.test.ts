import { Hono } from 'hono';
import type Redis from 'ioredis';
import { expect, it } from 'vitest';
import { requireSession } from '../require/require-session.js';
import { Browser } from '../routes/test-app.fixture.js';
import { session } from '../session/middleware.js';
import type { SessionEnv } from '../session/types.js';
import { manualClock } from '../testing/clock.js';
import { redisStore } from './index.js';
import { uniquePrefix, useRedis } from './redis.fixture.js';

let client: Redis;
const prefix = uniquePrefix('switch-user');
useRedis(
  () => prefix,
  (c) => {
    client = c;
  },
);

/** One server instance on the shared Redis; `ran` records who the DELETE ran as. */
function instance(clock: ReturnType<typeof manualClock>, ran: string[]) {
  const app = new Hono<SessionEnv>();
  app.use(session({ store: redisStore({ client, prefix }), now: clock.now }));
  app.post('/login/:user', async (c) => {
    await c.var.session.regenerate({ userId: c.req.param('user') });
    return c.text('signed in');
  });
  app.post('/elevate', requireSession(), async (c) => {
    await c.var.session.regenerate({ cause: 'privilege-change' });
    return c.text('elevated');
  });
  app.delete('/api/items/:id', requireSession(), (c) => {
    ran.push(c.var.session.userId!);
    return c.body(null, 204);
  });
  return app;
}

it("refuses alice's request on another instance after bob signed in, also after her renewal", async () => {
  const clock = manualClock(Date.now()); // real epoch time: Redis TTLs lie ahead
  const ran: string[] = [];
  const [a, b] = [instance(clock, ran), instance(clock, ran)];
  for (const renewFirst of [false, true]) {
    const browser = new Browser(a);
    await browser.post('/login/alice');
    const alicesTab = browser.tab(b); // its request goes to the other instance
    if (renewFirst) expect((await browser.post('/elevate')).status).toBe(200);
    expect((await browser.post('/login/bob')).status).toBe(200);
    clock.advance(5_000);
    const res = await alicesTab.send('DELETE', '/api/items/1');
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'session_switched' });
  }
  expect(ran).toEqual([]);
});
