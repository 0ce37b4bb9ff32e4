import type Redis from 'ioredis';
import { describe, expect, it } from 'vitest';
import { Browser, routesTestApp } from '../routes/test-app.fixture.js';
import { redisStore } from './index.js';
import { uniquePrefix, useRedis } from './redis.fixture.js';

let client: Redis;
const prefix = uniquePrefix('reauth-renewed');
let apps = 0;
useRedis(
  () => prefix,
  (c) => {
    client = c;
  },
);

describe('a second POST /reauth a few ms after the first, on Redis', () => {
  it('answers with the first re-auth session: one session, one cookie line per name, same credential', async () => {
    const own = `${prefix}${++apps}:`;
    const t = routesTestApp({
      store: () => redisStore({ client, prefix: own }),
      clockStart: Date.now(),
    });
    const b = new Browser(t.app);
    expect((await b.post('/login?remember=1')).status).toBe(200);
    t.clock.advance(31 * 60_000);
    expect((await b.post('/session/reauth')).status).toBe(200);
    const [first] = await t.manager.listForUser('u1');
    t.clock.advance(30);
    const res = await b.post('/session/reauth');
    expect(res.status).toBe(200);
    const names = res.headers.getSetCookie().map((l) => l.slice(0, l.indexOf('=')));
    expect(new Set(names).size).toBe(names.length);
    const list = await t.manager.listForUser('u1');
    expect(list.map((s) => s.id)).toEqual([first!.id]);
    // The rotated validator still re-authenticates later, linked to the kept session.
    t.clock.advance(31 * 60_000);
    expect((await b.post('/session/reauth')).status).toBe(200);
    expect((await t.manager.listForUser('u1')).length).toBe(1);
  });
});
