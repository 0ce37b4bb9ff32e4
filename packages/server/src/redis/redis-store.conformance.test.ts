import type Redis from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { describeStoreConformance } from '../testing/index.js';
import { redisStore } from './index.js';
import { connectRedis, deleteKeys, uniquePrefix } from './redis.fixture.js';

let client: Redis;
const prefix = uniquePrefix('conformance');

beforeAll(async () => {
  client = await connectRedis();
});
afterAll(async () => {
  if (client === undefined) return; // connecting failed: beforeAll reported why
  await deleteKeys(client, prefix);
  client.disconnect();
});

describeStoreConformance('redisStore', () => redisStore({ client, prefix }));
describeStoreConformance('redisStore in cluster mode', () =>
  redisStore({ client, prefix: `${prefix}cluster:`, cluster: true }),
);
