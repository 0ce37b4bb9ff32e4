import { afterEach, beforeEach, expect, it } from 'vitest';
import { ownRedisCluster } from './cluster.fixture.js';
import { ownRedis } from './redis.fixture.js';

// README: the tests that start their own `redis-server` need the binary on PATH, and
// "without them those tests fail and say so". A machine with a Redis on 6379 (a container,
// say) but no binary must be told to install the binary, quickly.
let path: string | undefined;
beforeEach(() => {
  path = process.env.PATH;
  process.env.PATH = '/nonexistent';
});
afterEach(() => {
  process.env.PATH = path;
});

it('ownRedisCluster fails within seconds, naming redis-server, when the binary is not on PATH', async () => {
  await expect(ownRedisCluster(3)).rejects.toThrow(/redis-server is not on PATH/);
}, 10_000);

it('ownRedis without the binary says how to install it, not only how to start a server on 6379', async () => {
  await expect(ownRedis()).rejects.toThrow(/apt-get install redis-server/);
});
