import type Redis from 'ioredis';
import { describe, expect, it } from 'vitest';
import { revokeDuringSlowRequest } from '../session/race.fixture.js';
import { manualClock } from '../testing/clock.js';
import { redisStore } from './index.js';
import { uniquePrefix, useRedis } from './redis.fixture.js';

let client: Redis;
const prefix = uniquePrefix('revoke-in-flight');
useRedis(
  () => prefix,
  (c) => {
    client = c;
  },
);

describe('redisStore: revoke-all and a request in flight', () => {
  // The memory store runs the same race in session/races.test.ts. The slow request
  // outlasts the idle deadline by more than a minute: a listing that took such a session
  // for dead (and pruned it from the index) let the request commit its touch afterwards,
  // and the session lived on, unrevoked and unlisted.
  it('revoke-all also ends a session past its idle deadline that a request in flight could revive', async () => {
    const clock = manualClock(Date.now());
    const store = redisStore({ client, prefix, now: clock.now });
    expect(await revokeDuringSlowRequest(store, clock)).toEqual({ revoked: 1, after: 'none' });
  });
});
