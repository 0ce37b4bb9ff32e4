export type { RedisArg, RedisClient } from './client.js';
export { RedisTimeoutError } from './client.js';
export type { RedisCorruption } from './context.js';
export {
  fromNodeRedis,
  type NodeRedisClient,
  type NodeRedisEvalOptions,
  type NodeRedisStoreClient,
} from './node-redis.js';
export { type RedisSessionStore, type RedisStoreOptions, redisStore } from './redis-store.js';
