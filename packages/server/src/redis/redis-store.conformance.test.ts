import type Redis from 'ioredis';
import { describeStoreConformance } from '../testing/index.js';
import { redisStore } from './index.js';
import { uniquePrefix, useRedis } from './redis.fixture.js';

let client: Redis;
const prefix = uniquePrefix('conformance');

useRedis(
  () => prefix,
  (c) => {
    client = c;
  },
);

describeStoreConformance('redisStore', () => redisStore({ client, prefix }));
describeStoreConformance('redisStore in cluster mode', () =>
  redisStore({ client, prefix: `${prefix}cluster:`, cluster: true }),
);
