import type Redis from 'ioredis';
import { describe, expect, it } from 'vitest';
import { Browser } from '../routes/test-app.fixture.js';
import { RECEIPT, receiptApp } from '../session/receipt-app.fixture.js';
import { redisStore } from './index.js';
import { uniquePrefix, useRedis } from './redis.fixture.js';

let client: Redis;
const prefix = uniquePrefix('renewal-receipt');
useRedis(
  () => prefix,
  (c) => {
    client = c;
  },
);
const MIN = 60_000;

/** One server instance on the shared Redis. */
const instance = (start: number) =>
  receiptApp({ store: () => redisStore({ client, prefix }), clockStart: start });

describe('the renewal receipt on two instances sharing Redis', () => {
  it('keeps the person signed in when a privilege change on one crosses a rotation on the other', async () => {
    const start = Date.now();
    const one = instance(start);
    const two = instance(start);
    const browser = new Browser(one.app);
    await browser.post('/cart');
    await browser.post('/login');
    expect(browser.cookies.has(RECEIPT)).toBe(true);
    one.clock.advance(16 * MIN);
    two.clock.advance(16 * MIN);
    const rotation = await browser.tab(one.app).get('/whoami');
    const renewal = await browser.tab(two.app).post('/elevate');
    expect(renewal.status).toBe(200);
    const { id } = (await renewal.json()) as { id: string };
    browser.receive(renewal);
    browser.receive(rotation);
    one.clock.advance(30_000);
    two.clock.advance(30_000);
    const res = await browser.tab(two.app).get('/whoami');
    expect(await res.json()).toMatchObject({ state: 'active', id });
  });
});
