import type { Cluster } from 'ioredis';
import { createCluster } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeStoreConformance, sessionRecord } from '../testing/index.js';
import { type OwnRedisCluster, ownRedisCluster } from './cluster.fixture.js';
import { fromNodeRedis, redisStore } from './index.js';

/**
 * The Redis store through a node-redis cluster client (`createCluster`) on a real Redis
 * Cluster of three masters started by this file, where a cross-slot script fails.
 */
const HOUR = 3_600_000;
let cluster: OwnRedisCluster;
let client: ReturnType<typeof createCluster>;
/** An ioredis view of the same cluster, to look at each master's keys. */
let inspect: Cluster;

beforeAll(async () => {
  cluster = await ownRedisCluster(3);
  client = createCluster({
    rootNodes: cluster.ports.map((port) => ({ url: `redis://127.0.0.1:${port}` })),
    defaults: { disableOfflineQueue: true },
  });
  client.on('error', () => {});
  await client.connect();
  inspect = await cluster.connect();
}, 30_000);
afterAll(async () => {
  // Undefined when start-up failed; beforeAll has reported why.
  client?.destroy();
  inspect?.disconnect();
  await cluster?.stop();
});

// No `cluster` option: fromNodeRedis marks a cluster client, so cluster mode turns on.
describeStoreConformance('redisStore through a node-redis cluster client', () =>
  redisStore({ client: fromNodeRedis(client), prefix: 'conformance:' }),
);

describe('redisStore through a node-redis cluster client', () => {
  it('is marked as a cluster, so `cluster: false` is refused at start-up', () => {
    expect(fromNodeRedis(client).isCluster).toBe(true);
    // Its sendCommand routes by a first key given apart: reads go through hGetAll.
    expect(fromNodeRedis(client).call).toBeUndefined();
    expect(() => redisStore({ client: fromNodeRedis(client), cluster: false })).toThrow(
      /`cluster: false`/,
    );
  });

  it("spreads sessions over every master while each user's index lists them all", async () => {
    const store = redisStore({ client: fromNodeRedis(client), prefix: 'spread:' });
    const until = Date.now() + HOUR;
    const sids = Array.from({ length: 30 }, (_, i) => `sid-${i}`);
    for (const sid of sids) {
      expect(await store.create(sid, sessionRecord({ userId: 'ada' }), until)).toBe(true);
    }
    const perMaster = await Promise.all(
      inspect.nodes('master').map(async (node) => (await node.keys('spread:s:*')).length),
    );
    expect(perMaster).toHaveLength(3);
    for (const count of perMaster) expect(count).toBeGreaterThan(0);
    expect(perMaster.reduce((a, b) => a + b)).toBe(30);
    expect((await store.listByUser('ada')).map((s) => s.sid).sort()).toEqual([...sids].sort());
  });

  it('shares sessions with an ioredis Cluster client on the same prefix', async () => {
    const viaNodeRedis = redisStore({ client: fromNodeRedis(client), prefix: 'mixed:' });
    const viaIoredis = redisStore({ client: inspect, prefix: 'mixed:' });
    const until = Date.now() + HOUR;
    await viaIoredis.create('a', sessionRecord({ userId: 'bo', data: { n: 1 } }), until);
    await viaNodeRedis.create('b', sessionRecord({ userId: 'bo', data: { n: 2 } }), until);
    expect(await viaNodeRedis.update('a', { set: { n: 3 } }, until)).toBe('ok');
    expect((await viaIoredis.get('a'))?.data).toEqual({ n: 3 });
    expect((await viaIoredis.listByUser('bo')).map((s) => s.sid).sort()).toEqual(['a', 'b']);
  });
});
