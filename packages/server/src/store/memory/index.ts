export {
  type MemoryEviction,
  type MemoryStore,
  type MemoryStoreOptions,
  type MemoryStoreStats,
  memoryStore,
} from './memory-store.js';
