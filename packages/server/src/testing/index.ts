export { type ManualClock, manualClock } from './clock.js';
export type { StoreContext, StoreFactory, StoreUnderTest } from './context.js';
export {
  AWKWARD_DATA,
  credentialRecord,
  randomKey,
  sessionRecord,
  sleep,
} from './fixtures.js';
export { type ConformanceOptions, describeStoreConformance } from './store-conformance.js';
