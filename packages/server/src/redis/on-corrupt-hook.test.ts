import type Redis from 'ioredis';
import { describe, expect, it } from 'vitest';
import { unhandledRejections } from '../events/unhandled-rejections.fixture.js';
import { sessionRecord } from '../testing/index.js';
import { redisStore } from './index.js';
import { uniquePrefix, useRedis } from './redis.fixture.js';

// `onCorrupt` is a reporting hook typed `(event) => void`; the store calls it bare in the
// middle of a read. A hook that throws turns "a corrupt record reads as null" into a
// rejected read (session() answers 503 on every request that presents that cookie, for
// as long as the record stays), and an async one that rejects is an unhandled rejection.
let client: Redis;
const prefix = uniquePrefix('on-corrupt-hook');
useRedis(
  () => prefix,
  (c) => {
    client = c;
  },
);

describe('redisStore: an onCorrupt hook that fails', () => {
  it('still reads a corrupt record as null', async () => {
    const store = redisStore({
      client,
      prefix,
      onCorrupt: () => {
        throw new Error('metrics down');
      },
    });
    await store.create('sid1', sessionRecord(), Date.now() + 3_600_000);
    await client.hset(`${prefix}s:{sid1}`, 'm:idleExpiresAt', '"soon"');
    await expect(store.get('sid1')).resolves.toBeNull();
  });

  const seen = unhandledRejections();
  it('leaves no unhandled rejection for an async hook', async () => {
    const store = redisStore({
      client,
      prefix,
      onCorrupt: async () => {
        throw new Error('metrics down');
      },
    });
    await store.create('sid2', sessionRecord(), Date.now() + 3_600_000);
    await client.hset(`${prefix}s:{sid2}`, 'm:idleExpiresAt', '"soon"');
    expect(await store.get('sid2')).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen).toEqual([]);
  });
});
